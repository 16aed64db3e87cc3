//go:build !unix

package pipeline

// PeakRSSMB is not measured on this platform.
func PeakRSSMB() float64 { return 0 }
