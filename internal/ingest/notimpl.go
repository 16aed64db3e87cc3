package ingest

import "errors"

// errNotImplemented is returned by readers that are still stubs.
var errNotImplemented = errors.New("reader not implemented yet")
