package ingest

// Readers not yet written (CSV family). Each is replaced by its own file.

func readTwarcCSV(rc *readCtx) error          { return errNotImplemented }
func readTwarc2CSV(rc *readCtx) error         { return errNotImplemented }
func readTelethonCSV(rc *readCtx) error       { return errNotImplemented }
func readCooRTweetCSV(rc *readCtx) error      { return errNotImplemented }
func readCooRTweetMultiCSV(rc *readCtx) error { return errNotImplemented }
func readQUTCSV(rc *readCtx) error            { return errNotImplemented }
func readFifthTribeCSV(rc *readCtx) error     { return errNotImplemented }
func readGenericCSV(rc *readCtx) error        { return errNotImplemented }
