test('fine', () => {});
describe('async describe', async () => {});
