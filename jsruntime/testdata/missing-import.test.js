import { nothing } from './lib/nothing.js';
test('never runs', () => {});
