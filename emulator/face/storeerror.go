package face

import (
	"errors"
	"strings"

	"github.com/mailscript/mailscript/emulator/store"
)

// StoreError maps an error from the store onto a face's own errors: notFound for
// store.ErrNotFound, invalid with the store's reason for store.ErrInvalid, internal for
// anything else, and the zero E for nil. The faces differ in their errors' shapes, not in
// what each store error means.
func StoreError[E any](err error, notFound func() E, invalid func(reason string) E, internal func() E) E {
	switch {
	case err == nil:
		var none E
		return none
	case errors.Is(err, store.ErrNotFound):
		return notFound()
	case errors.Is(err, store.ErrInvalid):
		return invalid(strings.TrimPrefix(err.Error(), store.ErrInvalid.Error()+": "))
	}
	return internal()
}
