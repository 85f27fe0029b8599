import fs from 'node:fs';
test('never runs', () => {});
