import { check, type Parcel } from './lib/helper';
import { greeting } from './lib/names.mjs';
const { twice } = require('./lib/math.cjs');

const light: Parcel = { weight: await Promise.resolve(2) };

test('imports work', () => {
  expect(check(light)).toBe(2);
  expect(twice(21)).toBe(42);
  expect(greeting).toBe('hello');
});

test('error thrown in a helper', () => {
  check({ weight: 11 });
});

test('failed expect', () => {
  const total: number = twice(2);
  expect(total).toBe(5);
});
