const log = [];
beforeAll(() => { log.push('beforeAll'); });
afterAll(() => { console.log(log.join(',')); });
beforeEach(() => { log.push('beforeEach'); });
afterEach(() => { log.push('afterEach'); });

test('first', () => { log.push('first'); });

describe('outer', () => {
  beforeAll(async () => { await sleep(1); log.push('outer.beforeAll'); });
  beforeEach(() => { log.push('outer.beforeEach'); });
  afterEach(() => { log.push('outer.afterEach'); });
  afterAll(() => { log.push('outer.afterAll'); });

  test('second', () => { log.push('second'); });

  describe('inner', () => {
    test('third', () => { log.push('third'); });
  });
});

describe('broken setup', () => {
  beforeAll(() => { throw new Error('setup failed'); });
  afterAll(() => { log.push('broken.afterAll'); });
  test('not run', () => { log.push('not run'); });
  test.skip('skipped anyway', () => {});
});

describe('failing afterEach', () => {
  afterEach(() => { throw new Error('cleanup failed'); });
  test('body passes', () => {});
});

test('sees the order', () => {
  expect(log).toEqual([
    'beforeAll',
    'beforeEach', 'first', 'afterEach',
    'outer.beforeAll',
    'beforeEach', 'outer.beforeEach', 'second', 'outer.afterEach', 'afterEach',
    'beforeEach', 'outer.beforeEach', 'third', 'outer.afterEach', 'afterEach',
    'outer.afterAll',
    'broken.afterAll',
    'beforeEach', 'afterEach',
    'beforeEach',
  ]);
});
