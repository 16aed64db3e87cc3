package export

import "strings"

// CSVText neutralises a text cell against spreadsheet formula injection: a
// cell starting with = + - @, a tab or a carriage return is prefixed with a
// single quote (OWASP's recommendation), so Excel, LibreOffice and Google
// Sheets show it as text instead of evaluating it.
func CSVText(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	// Full-width variants are also evaluated by some spreadsheets.
	if strings.HasPrefix(s, "＝") || strings.HasPrefix(s, "＋") || strings.HasPrefix(s, "－") || strings.HasPrefix(s, "＠") {
		return "'" + s
	}
	return s
}
