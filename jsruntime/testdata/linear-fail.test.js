await sleep(1);
const box = { messages: [] };
if (box.messages.length === 0) {
  throw new Error('no mail arrived');
}
