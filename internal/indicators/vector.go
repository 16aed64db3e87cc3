package indicators

// Vector returns the scalar summary stored in the event library and
// compared with past events. Keys (absent when the value is undefined):
//
//	lift_posts_<w>, lift_accounts_<w>   volume lift per window (w: 1h, 6h, …)
//	onset_latency_s                     onset latency
//	media_latency_s                     fastest outlet's first-release latency
//	media_relay_latency_s               first relay of any known outlet after T0
//	recirculation_share                 recirculation share
//	new_hashtags                        hashtags first seen at or after T0
//	automation_groups                   staggered-automation groups
//	ecosystem_post_share                ecosystem share of posts after T0
//	ecosystem_account_share             ecosystem share of accounts after T0
//	unanimity_before_claim, unanimity_after_claim, unanimity_after_t0
//	agreement_before_claim, agreement_after_claim
//	assert_share_before_claim, assert_share_after_claim (all posts)
//	unanimity                           unanimity_before_claim, else unanimity_after_t0
func (r *Result) Vector() map[string]float64 {
	v := map[string]float64{}
	put := func(k string, x *float64) {
		if x != nil {
			v[k] = *x
		}
	}
	for _, w := range r.VolumeLift.Windows {
		put("lift_posts_"+w.Window, w.LiftPosts)
		put("lift_accounts_"+w.Window, w.LiftAccounts)
	}
	put("onset_latency_s", r.OnsetLatency.Seconds)
	for _, o := range r.MediaReleases.Outlets {
		if o.LatencySeconds != nil {
			if cur, ok := v["media_latency_s"]; !ok || *o.LatencySeconds < cur {
				v["media_latency_s"] = *o.LatencySeconds
			}
		}
	}
	for _, o := range r.MediaReleases.Outlets {
		if o.Relayed != nil && o.Relayed.LatencySeconds != nil {
			if cur, ok := v["media_relay_latency_s"]; !ok || *o.Relayed.LatencySeconds < cur {
				v["media_relay_latency_s"] = *o.Relayed.LatencySeconds
			}
		}
	}
	put("recirculation_share", r.Recirculation.Share)
	if r.Hashtags.Counts != nil {
		v["new_hashtags"] = float64(r.Hashtags.Counts[TagNew])
	}
	v["automation_groups"] = float64(len(r.Automation.Groups))
	if r.EcosystemShare.Source != "" {
		put("ecosystem_post_share", r.EcosystemShare.AfterT0.PostShare)
		put("ecosystem_account_share", r.EcosystemShare.AfterT0.AccountShare)
	}
	st := &r.Stance
	put("unanimity_before_claim", st.UnanimityBeforeClaim)
	put("unanimity_after_claim", st.UnanimityAfterClaim)
	put("unanimity_after_t0", st.UnanimityAfterT0)
	put("agreement_before_claim", st.AgreementBeforeClaim)
	put("agreement_after_claim", st.AgreementAfterClaim)
	for _, p := range st.Periods {
		switch p.Period {
		case "before_claim":
			put("assert_share_before_claim", p.All.AssertShare)
		case "after_claim":
			put("assert_share_after_claim", p.All.AssertShare)
		}
	}
	if st.UnanimityBeforeClaim != nil {
		put("unanimity", st.UnanimityBeforeClaim)
	} else {
		put("unanimity", st.UnanimityAfterT0)
	}
	return v
}
