package report

import (
	"encoding/json"
	"strings"

	"github.com/chorus-osint/chorus/internal/indicators"
)

// indicatorKeys are results.json's indicator names in report order.
var indicatorKeys = []string{"volume_lift", "bursts", "hashtags", "hijacking", "media_releases", "recirculation", "quotes", "onset_latency", "automation", "ecosystem_share", "stance"}

// indicatorSections names the report section of the indicators whose
// section id differs from their key.
var indicatorSections = map[string]string{"volume_lift": "volume", "media_releases": "media", "onset_latency": "onset", "ecosystem_share": "ecosystem"}

// sectionOf returns the id of the report section showing indicator key
// (the same in report.html and report.md).
func sectionOf(key string) string {
	if s, ok := indicatorSections[key]; ok {
		return s
	}
	return anchorID(key)
}

// indicatorSet holds the decoded indicators; a nil field is an indicator
// results.json does not have (or could not be decoded, see problem).
type indicatorSet struct {
	Volume     *indicators.VolumeLift
	Bursts     *indicators.Bursts
	Hashtags   *indicators.Hashtags
	Hijacking  *indicators.Hijacking
	Media      *indicators.MediaReleases
	Recirc     *indicators.Recirculation
	Quotes     *indicators.Quotes
	Onset      *indicators.OnsetLatency
	Automation *indicators.Automation
	Ecosystem  *indicators.EcosystemShare
	Stance     *indicators.StanceMetrics
	// problem maps an indicator key to why it is missing.
	problem map[string]string
}

// decodeIndicators decodes each known indicator on its own, so that one
// missing or malformed indicator does not hide the others.
func decodeIndicators(raw map[string]json.RawMessage) indicatorSet {
	s := indicatorSet{problem: map[string]string{}}
	dec := func(key string, dst any) bool {
		b, ok := raw[key]
		if !ok || len(b) == 0 || string(b) == "null" {
			s.problem[key] = "results.json has no " + key + " indicator (the analysis that wrote it did not compute it)"
			return false
		}
		if err := json.Unmarshal(b, dst); err != nil {
			s.problem[key] = "results.json's " + key + " indicator could not be read: " + err.Error()
			return false
		}
		return true
	}
	var (
		v  indicators.VolumeLift
		bu indicators.Bursts
		h  indicators.Hashtags
		hi indicators.Hijacking
		m  indicators.MediaReleases
		r  indicators.Recirculation
		q  indicators.Quotes
		o  indicators.OnsetLatency
		a  indicators.Automation
		e  indicators.EcosystemShare
		st indicators.StanceMetrics
	)
	if dec("volume_lift", &v) {
		s.Volume = &v
	}
	if dec("bursts", &bu) {
		s.Bursts = &bu
	}
	if dec("hashtags", &h) {
		s.Hashtags = &h
	}
	if dec("hijacking", &hi) {
		s.Hijacking = &hi
	}
	if dec("media_releases", &m) {
		s.Media = &m
	}
	if dec("recirculation", &r) {
		s.Recirc = &r
	}
	if dec("quotes", &q) {
		s.Quotes = &q
	}
	if dec("onset_latency", &o) {
		s.Onset = &o
	}
	if dec("automation", &a) {
		s.Automation = &a
	}
	if dec("ecosystem_share", &e) {
		s.Ecosystem = &e
	}
	if dec("stance", &st) {
		s.Stance = &st
	}
	return s
}

// notes returns an indicator's notes (empty when absent).
func (s *indicatorSet) notes(key string) []string {
	switch key {
	case "volume_lift":
		if s.Volume != nil {
			return s.Volume.Notes
		}
	case "bursts":
		if s.Bursts != nil {
			return s.Bursts.Notes
		}
	case "hashtags":
		if s.Hashtags != nil {
			return s.Hashtags.Notes
		}
	case "hijacking":
		if s.Hijacking != nil {
			return s.Hijacking.Notes
		}
	case "media_releases":
		if s.Media != nil {
			return s.Media.Notes
		}
	case "recirculation":
		if s.Recirc != nil {
			return s.Recirc.Notes
		}
	case "quotes":
		if s.Quotes != nil {
			return s.Quotes.Notes
		}
	case "onset_latency":
		if s.Onset != nil {
			return s.Onset.Notes
		}
	case "automation":
		if s.Automation != nil {
			return s.Automation.Notes
		}
	case "ecosystem_share":
		if s.Ecosystem != nil {
			return s.Ecosystem.Notes
		}
	case "stance":
		if s.Stance != nil {
			return s.Stance.Notes
		}
	}
	return nil
}

// reason says why an indicator's value is missing: its absence from
// results.json, or its own notes.
func (s *indicatorSet) reason(key string) string {
	if p, ok := s.problem[key]; ok {
		return p
	}
	if n := s.notes(key); len(n) > 0 {
		// The empty-library note explains a missing comparison, not a
		// missing value: leave it out when there are other notes.
		var keep []string
		for _, x := range n {
			if !strings.HasPrefix(x, "event library empty") {
				keep = append(keep, x)
			}
		}
		if len(keep) == 0 {
			keep = n
		}
		return strings.Join(keep, "; ")
	}
	return "the indicator has no value for this event"
}

// IndicatorStatus is one indicator's availability in report.json.
type IndicatorStatus struct {
	Key     string   `json:"key"`
	Present bool     `json:"present"`
	Problem string   `json:"problem,omitempty"`
	Notes   []string `json:"notes"`
}

func (s *indicatorSet) status(pv *privacy) []IndicatorStatus {
	out := make([]IndicatorStatus, 0, len(indicatorKeys))
	for _, k := range indicatorKeys {
		st := IndicatorStatus{Key: k, Notes: []string{}}
		if p, ok := s.problem[k]; ok {
			st.Problem = p
		} else {
			st.Present = true
			for _, n := range s.notes(k) {
				st.Notes = append(st.Notes, pv.freeText(n))
			}
		}
		out = append(out, st)
	}
	return out
}
