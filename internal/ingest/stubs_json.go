package ingest

import "errors"

// Readers not yet written (JSON family). Each is replaced by its own file.
var errNotImplemented = errors.New("reader not implemented yet")

func readTwitterV1(rc *readCtx) error    { return errNotImplemented }
func readTwitterV2(rc *readCtx) error    { return errNotImplemented }
func readTelegramJSON(rc *readCtx) error { return errNotImplemented }
