// Package jsruntimetest runs scripts from Go tests of bindings and tools: a script from source
// text in a temporary folder, with failures reported readably. Test code only; like httptest,
// it is a helper, not part of mailscript's behaviour.
package jsruntimetest
