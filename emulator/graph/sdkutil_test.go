package graph

import (
	"errors"

	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"

	"github.com/mailscript/mailscript/emulator/store"
)

func storeQuery(folder string) store.Query { return store.Query{Folder: folder} }

func asODataError(err error, target **odataerrors.ODataError) bool { return errors.As(err, target) }
