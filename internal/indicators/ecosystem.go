package indicators

// EcosystemShare is the share of the reaction (posts and accounts at or
// after T0) that comes from the watched ecosystem.
type EcosystemShare struct {
	// Source is "watch_list" (the watch list's accounts and outlets),
	// "clusters" (accounts of coordinated clusters, used when the watch
	// list names no account of the data) or "" (neither).
	Source string `json:"source"`
	// EcosystemAccounts is the number of ecosystem accounts in the data.
	EcosystemAccounts int             `json:"ecosystem_accounts"`
	AfterT0           EcoCounts       `json:"after_t0"`
	Windows           []EcoWindow     `json:"windows"`
	Params            EcosystemParams `json:"params"`
	Notes             []string        `json:"notes"`
}

// EcoWindow is EcoCounts in [T0, T0+window).
type EcoWindow struct {
	Window string `json:"window"`
	EcoCounts
}

// EcoCounts are the ecosystem's posts and accounts among all, with Wilson
// 95% intervals of the shares.
type EcoCounts struct {
	Posts          int       `json:"posts"`
	EcoPosts       int       `json:"ecosystem_posts"`
	PostShare      *float64  `json:"post_share"`
	PostShareCI    []float64 `json:"post_share_ci95"`
	Accounts       int       `json:"accounts"`
	EcoAccounts    int       `json:"ecosystem_accounts"`
	AccountShare   *float64  `json:"account_share"`
	AccountShareCI []float64 `json:"account_share_ci95"`
}

func (s *state) ecoCounts(eco []bool, lo, hi int) EcoCounts {
	var e EcoCounts
	s.acc.next()
	for i := lo; i < hi; i++ {
		a := s.c.Account[i]
		in := eco[a]
		if in {
			e.EcoPosts++
		}
		if s.acc.add(a) {
			e.Accounts++
			if in {
				e.EcoAccounts++
			}
		}
	}
	e.Posts = hi - lo
	if e.Posts > 0 {
		e.PostShare = fptr(float64(e.EcoPosts) / float64(e.Posts))
		e.PostShareCI = wilson(e.EcoPosts, e.Posts)
		e.AccountShare = fptr(float64(e.EcoAccounts) / float64(e.Accounts))
		e.AccountShareCI = wilson(e.EcoAccounts, e.Accounts)
	}
	return e
}

func (s *state) ecosystemShare() EcosystemShare {
	e := EcosystemShare{Windows: []EcoWindow{}, Params: s.p.ecosystemParams(), Notes: []string{}}
	eco, src := s.ecosystem()
	e.Source = src
	switch src {
	case "":
		e.Notes = append(e.Notes, "no ecosystem: the watch list names no account of the data and there are no coordinated clusters")
		return e
	case "clusters":
		e.Notes = append(e.Notes, "the watch list names no account of the data: the ecosystem is the coordinated clusters' accounts")
	}
	for _, in := range eco {
		if in {
			e.EcosystemAccounts++
		}
	}
	if s.i0 >= s.n {
		e.Notes = append(e.Notes, "no posts at or after T0")
	}
	e.AfterT0 = s.ecoCounts(eco, s.i0, s.n)
	for _, w := range s.p.Windows {
		lo, hi := s.postsIn(s.t0, s.t0+ms(w))
		e.Windows = append(e.Windows, EcoWindow{Window: windowName(w), EcoCounts: s.ecoCounts(eco, lo, hi)})
	}
	return e
}
