package mail_test

import (
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/bindings/mail"
	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/jsruntimetest"
	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/providers/providertest"
)

// TestMailboxesCloseWhenTheVMEnds: every mailbox a test file connected is closed once the
// file is done; a REPL session's when the session closes, not while it goes on.
func TestMailboxesCloseWhenTheVMEnds(t *testing.T) {
	t.Parallel()
	box := providertest.New("qa@example.com")
	f := runScript(t, `
test('two connections', async () => {
  const a = mail.connect('fake'), b = mail.connect('fake', {mailbox: 'qa@example.com'});
  await a.list();
  await b.list();
});
test('still open in a later test', async () => {
  await mail.connect('fake').list();
});`, box, nil)
	jsruntimetest.RequirePassed(t, f)
	if n := box.Closes(); n != 3 {
		t.Errorf("%d mailboxes closed after the file ended, want the 3 it connected", n)
	}

	session := providertest.New("qa@example.com")
	registry := providers.NewRegistry(nil)
	registry.Register("fake", session.Connect)
	vm, err := jsruntime.NewVM(jsruntime.Options{Timeout: 5 * time.Second, WorkDir: t.TempDir(), Install: func(vu bindings.VU, global *goja.Object) error {
		return global.Set("mail", mail.New(vu, mail.Config{Registry: registry}))
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := vm.Eval(t.Context(), "const box = mail.connect('fake'); box.list()"); err != nil {
		t.Fatal(err)
	}
	if n := session.Closes(); n != 0 {
		t.Fatalf("a REPL session's mailbox was closed %d times while the session went on", n)
	}
	vm.Close()
	if n := session.Closes(); n != 1 {
		t.Errorf("the session's mailbox was closed %d times when the session closed, want once", n)
	}
}
