package emulator

import "github.com/mailscript/mailscript/emulator/store"

func storeQuery(folder string) store.Query { return store.Query{Folder: folder} }
