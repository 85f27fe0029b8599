// Package typings holds typings/mail.d.ts, the exact form of the JS API, and the test that
// keeps it in step with the bindings: every global and member the VM exposes is declared, and
// every declaration exists at run time.
package typings
