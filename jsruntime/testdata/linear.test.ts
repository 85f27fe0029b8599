const started: number = Date.now();
await sleep('1ms');
console.log('linear script ran');
expect(Date.now() >= started).toBe(true);
