package jsruntime

import "github.com/mailscript/mailscript/bindings"

var _ bindings.Cleaner = (*VM)(nil)

// Cleanup implements bindings.Cleaner: release runs when the VM ends (end), last registered
// first. It is called on the goroutine driving the VM, like every binding call.
func (vm *VM) Cleanup(release func()) { vm.cleanups = append(vm.cleanups, release) }

// end runs the VM's cleanups once: a mailbox the script connected closes its connections. Go
// work the VM started may still be finishing; what a cleanup releases must allow for that.
func (vm *VM) end() {
	for i := len(vm.cleanups) - 1; i >= 0; i-- {
		vm.cleanups[i]()
	}
	vm.cleanups = nil
}

// newVM makes a VM for the file, remembered so that endVMs ends it: the first one, and those a
// restart makes, whether or not they replace the current one.
func (r *fileRun) newVM(dir, wd string) (*VM, error) {
	vm, err := newVM(r.opts, dir, wd, true)
	if err == nil {
		r.vms = append(r.vms, vm)
	}
	return vm, err
}

// endVMs ends every VM the file used, once its tests are done.
func (r *fileRun) endVMs() {
	for _, vm := range r.vms {
		vm.end()
	}
}
