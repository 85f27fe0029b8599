import { check } from '../lib/helper';

test('paths with spaces map back', () => {
  check({ weight: 12 });
});
