const log = [];
console.log('loading');
beforeAll(async () => { await sleep(1); log.push('beforeAll'); });
afterAll(async () => { await sleep(1); console.log('afterAll saw', log.join(',')); });

describe('outer', () => {
  beforeAll(async () => { await null; log.push('outer.beforeAll'); });
  beforeEach(async () => { await null; log.push('outer.beforeEach'); });
  afterEach(() => { log.push('outer.afterEach'); });
  afterAll(() => { log.push('outer.afterAll'); });

  test('first', () => { log.push('first'); });
  describe('inner', () => {
    test('busy', async () => { console.log('in busy'); await null; for (;;) {} });
    test('next', async () => {
      await sleep(1);
      console.log('in next');
      expect(log).toEqual(['beforeAll', 'outer.beforeAll', 'outer.beforeEach']);
    });
  });
  test('last', () => { log.push('last'); });
});

test('top after', async () => {
  await sleep(1);
  expect(log).toEqual([
    'beforeAll', 'outer.beforeAll', 'outer.beforeEach', 'outer.afterEach',
    'outer.beforeEach', 'last', 'outer.afterEach', 'outer.afterAll',
  ]);
});
