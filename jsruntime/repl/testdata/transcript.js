const answer = await Promise.resolve(40)
answer + 2
const message = {
  subject: 'Reset your password',
  from: { name: 'App', address: 'no-reply@example.com' },
  receivedAt: new Date(0),
  nested: { a: { b: { c: { d: 1 } } } },
}
message
(await Promise.resolve([message])).length
await missing()
'the prompt lives on'
const password = secret("env:PASSWORD")
password
({ password })
console.log('logged', answer)
1 +* 2
.help
