describe('stuck setup', () => {
  beforeAll(async () => { await null; for (;;) {} });
  afterAll(() => {});
  test('needs setup', async () => { await sleep(1); });
});
describe('stuck beforeEach', () => {
  beforeEach(async () => { await null; for (;;) {} });
  afterEach(() => {});
  test('body never runs', () => { throw new Error('ran'); });
});
describe('stuck teardown', () => {
  afterAll(async () => { await null; for (;;) {} });
  test('runs', async () => { await sleep(1); });
});
test('still runs', async () => { await sleep(1); });
