package stance

// The lexicons. Each group is one cue name of one kind in one language,
// with its phrases written in ordinary spelling: NewRules passes every
// phrase through the same tokenizer and normalize.Text as the posts, so
// "الإسلامية" and "الاسلاميه", "État" and "etat" match alike, and an Arabic
// article (ال، وال، بال، لل) or a leading conjunction (و، ف) on a post's
// word is ignored. Phrase syntax:
//
//	word word   a sequence of consecutive words
//	^IS         the word must be upper case or a hashtag in the post
//	            (tells the group "IS" from the English verb "is")
//	wilayat*    a prefix of one word (fused hashtags: #WilayatHalab)
//
// Sources: the label guidelines (docs/stance-guidelines.md), the naming
// conventions of IS media and of the press in the three languages, and the
// training split of the labelled set. The held-out split was not used to
// choose phrases.

type lexGroup struct {
	name    string
	kind    string
	lang    string
	phrases []string
	// weak cues are reported and are model features, but the rules do not
	// decide on them (too common: Arabic قد also means "indeed").
	weak bool
}

var lexicon = []lexGroup{
	// ---- naming of the group ------------------------------------------
	// Neutral names: news register in all three languages.
	{"isis", KindGroup, "en", []string{"isis", "isil", "^IS", "islamic state", "islamicstate", "islamic state group",
		"is fighters", "is militants", "isis fighters", "isis militants"}, false},
	{"tanzim", KindGroup, "ar", []string{"تنظيم الدولة", "تنظيم الدولة الإسلامية", "تنظيم داعش"}, false},
	{"ei", KindGroup, "fr", []string{"^EI", "état islamique", "etatislamique", "organisation état islamique"}, false},
	// The group's own and its supporters' names. In Arabic, bare الدولة
	// الإسلامية / الدولة (without تنظيم) is supporters' usage; the press says
	// تنظيم الدولة or داعش.
	{"dawlah", KindGroupPro, "en", []string{"dawlah", "dawla", "khilafah", "khilafa", "khilafahnews", "caliphate",
		"the caliphate", "caliphate news", "caliphate_news", "islamic_state", "mujahideen", "mujahidin",
		"lions of the caliphate", "lions of the khilafah", "our brothers"}, false},
	{"dawla-ar", KindGroupPro, "ar", []string{"الدولة الإسلامية", "دولة الخلافة", "الخلافة", "أخبار الخلافة",
		"إصدارات الخلافة", "المجاهدين", "المجاهدون", "أسود الخلافة", "الدولة", "إخواننا"}, false},
	{"khilafa-fr", KindGroupPro, "fr", []string{"califat", "dawla", "l'état du califat", "nos frères", "lions du califat"}, false},
	// Pejorative names.
	{"daesh", KindGroupAnti, "en", []string{"daesh", "daeshbags", "daash", "deash", "so-called islamic state",
		"so called islamic state", "khawarij", "khawarij isis", "isis terrorists", "isis terrorist", "terrorist group", "death cult"}, false},
	{"daesh-ar", KindGroupAnti, "ar", []string{"داعش", "الدواعش", "خوارج", "الخوارج", "خوارج العصر", "تنظيم داعش الإرهابي"}, false},
	{"daech", KindGroupAnti, "fr", []string{"daech", "daesh", "groupe terroriste", "soi-disant état islamique"}, false},

	// ---- the group's claim channels and formats ------------------------
	// Relaying these is how supporters assert authorship (guidelines §A).
	{"amaq", KindChannel, "en", []string{"amaq*", "aamaq*", "a'maq", "amaqagency", "amaq agency", "amaq news agency",
		"wilayat*", "wilaya*", "willayat*", "mandate of"}, false},
	// The group's fighters as grammatical agents: a claim channel that also
	// asserts agency on its own (verbs vary too much to list).
	{"fighters", KindChannel, "en", []string{"caliphate soldiers", "soldiers of the caliphate", "soldiers of the khilafah",
		"islamic state fighters", "islamicstate fighters", "is soldiers", "dawlah soldiers", "is forces", "islamic state forces",
		"soldiers of the islamic state", "soldier of the islamic state", "soldier of the caliphate", "soldier of the khilafah",
		"khilafah soldiers", "soldiers of the state", "soldiers of the dawlah"}, false},
	// Operation types only the group's media name this way: a channel cue
	// that is also an event.
	{"martyrdom-op", KindChannel, "en", []string{"martyrdom operation", "martyrdom op", "martyrdom operations",
		"martyrdom bombing", "istishhadi", "istishhadi operation", "inghimasi", "inghimasi op", "inghimasis", "inghimasiyeen"}, false},
	{"amaq-ar", KindChannel, "ar", []string{"وكالة أعماق", "أعماق", "ولاية", "بيان رسمي", "مكتب إعلام"}, false},
	{"fighters-ar", KindChannel, "ar", []string{"جنود الخلافة", "مقاتلو الدولة", "مقاتلي الدولة", "مقاتلو الدولة الإسلامية",
		"مقاتلي الدولة الإسلامية", "قوات الدولة", "قوات الدولة الإسلامية", "على يد الدولة", "على أيدي مقاتلي الدولة",
		"على أيدي الدولة", "من قبل الدولة", "من قبل الدولة الإسلامية", "جنود الدولة", "جنود الدولة الإسلامية", "جندي الخلافة",
		"جندي الدولة الإسلامية"}, false},
	{"istishhad-ar", KindChannel, "ar", []string{"عملية استشهادية", "عمليات استشهادية", "استشهادي", "استشهادية",
		"انغماسي", "انغماسية", "المنغمس", "الانغماسيان", "غزوة"}, false},
	{"amaq-fr", KindChannel, "fr", []string{"agence amaq"}, false},
	{"fighters-fr", KindChannel, "fr", []string{"soldats du califat", "combattants de l'état islamique",
		"soldats de l'état islamique", "soldat de l'état islamique", "soldat du califat", "soldats de l'état"}, false},

	// ---- claims of responsibility --------------------------------------
	// Explicit claims of responsibility: with a group name they assert.
	{"responsibility", KindClaim, "en", []string{"claim responsibility", "claims responsibility", "claimed responsibility",
		"claiming responsibility", "took responsibility", "responsibility for", "responsible for", "claim credit",
		"claims credit", "claimed credit", "official claim", "regarding the blessed", "blessed attack", "dedicates"}, false},
	{"tabanna", KindClaim, "ar", []string{"تبنى", "تتبنى", "يتبنى", "تبنت", "تبني", "مسؤوليتها", "المسؤولية عن",
		"مسؤوليته"}, false},
	{"revendique", KindClaim, "fr", []string{"revendiqué", "revendique", "revendiquée", "revendication", "a revendiqué",
		"revendiquent", "communiqué de l'état islamique"}, false},
	// Bare claim words: they assert only together with a group name and an
	// event term ("ISIS claims that rebels defected" is not about an attack).
	{"claimed", KindClaim, "en", []string{"claim", "claims", "claimed", "claiming", "releases pictures", "releases video",
		"released a video", "released pictures", "statement"}, false},
	{"ilan", KindClaim, "ar", []string{"أعلنت", "تعلن", "يعلن", "بيان", "الإصدار المرئي", "مرئي"}, false},

	// First-person plural agency: the group speaking about its own attack.
	{"we-struck", KindAgency, "en", []string{"we struck", "we attacked", "we killed", "our brothers carried out",
		"our soldiers", "our lone wolves", "our mujahideen"}, false},
	{"we-struck-ar", KindAgency, "ar", []string{"ذئابنا المنفردة", "جنودنا", "ضربنا", "إخواننا نفذوا"}, false},
	{"we-struck-fr", KindAgency, "fr", []string{"nos soldats", "nous avons frappé", "nos frères ont frappé"}, false},

	// ---- event terms ----------------------------------------------------
	// Next to a group name (within three words, not after "on/against") an
	// event term makes an agency cue.
	{"attack", KindEvent, "en", []string{"attack", "attacks", "attacked", "attacking", "bombing", "bombings", "bomb",
		"blast", "explosion", "suicide", "suicide bomber", "suicide attack", "vbied", "svbied", "car bomb", "ied", "ambush",
		"assault", "offensive", "raid", "operation", "op", "massacre", "shooting", "killed", "kills", "kill", "killing",
		"executes", "executed", "execution", "beheaded", "destroyed", "captured", "shot down", "shoot down", "stormed",
		"repelled", "targeted", "targeting", "targets", "carried out", "conducted", "hit", "hits", "struck", "took control",
		"seized", "advance", "advanced", "downed", "detonate", "detonated", "infiltrated", "rampage",
		"slaughtered", "slaughter", "massacred", "killer", "killers", "attacker", "attackers", "gunman", "gunmen", "assailants", "bomber",
		"bombers", "did this", "did it", "done this", "behind this", "behind it", "behind that", "behind the",
		"involvement", "involved in this"}, false},
	{"hujum", KindEvent, "ar", []string{"هجوم", "هجمات", "تفجير", "تفجيرات", "انفجار", "عملية", "عمليات", "كمين",
		"استهداف", "استهدف", "مقتل", "قتل", "قتلى", "هلاك", "نفوق", "أسر", "تدمير", "إعطاب", "إسقاط", "سيطرة",
		"يسيطرون", "تسيطر", "صد", "يحبطون", "إحراق", "اغتيال", "إعدام", "ذبح", "سيارة مفخخة", "سيارة ملغمة",
		"عبوة ناسفة", "عبوات ناسفة", "حزام ناسف", "دك", "قصف", "اقتحام",
		"يقتل", "تقتل", "يقتلون", "قتلوا", "قتلت", "ضربات", "ضربة", "ضربوا", "يضربون", "يضرب", "نفذ", "نفذت", "نفذوا",
		"نفذها", "منفذ", "منفذو", "منفذي", "وراء", "صلة"}, false},
	{"attentat", KindEvent, "fr", []string{"attentat", "attentats", "attaque", "attaques", "explosion", "kamikaze",
		"kamikazes", "fusillade", "tués", "tuerie", "massacre", "assaut", "opération", "tueur", "tueurs",
		"massacré", "massacrés", "carnage", "frappé", "frappée", "assaillants", "assaillant",
		"derrière", "implication"}, false},

	// ---- hedges --------------------------------------------------------
	{"maybe", KindHedge, "en", []string{"maybe", "perhaps", "reportedly", "allegedly", "alleged", "possibly", "possible",
		"could be", "might be", "might have", "may have", "suspected", "likely", "unlikely", "unconfirmed", "not confirmed",
		"apparently", "seems", "seem", "if it is", "if it was", "if true", "if this is", "purportedly", "rumored",
		"rumoured", "sources say", "sources claim", "believed to be", "presumably", "probably", "m/b",
		"looks like", "look like", "sounds like", "i bet", "bet it", "if it", "if this", "if that", "could it be",
		"could this be", "might it be"}, false},
	{"according-to", KindHedge, "en", []string{"according to", "per reports"}, true},
	{"rubbama", KindHedge, "ar", []string{"ربما", "قد يكون", "يحتمل", "محتمل", "محتملة", "لعل", "يبدو", "يرجح",
		"مرجح", "أنباء عن", "أنباء", "غير مؤكد", "غير مؤكدة", "أنباء غير مؤكدة", "يعتقد", "إن صح",
		"لعله", "لعلها", "لعلهم", "إن كان", "إن كانت", "إذا كان", "إذا كانت", "يشتبه"}, false},
	{"qad", KindHedge, "ar", []string{"قد", "مصادر"}, true},
	{"peut-etre", KindHedge, "fr", []string{"peut-être", "apparemment", "il semblerait", "semble", "serait", "seraient",
		"aurait", "auraient", "pourrait", "présumé", "présumés", "suspecté", "probablement",
		"sans doute", "si c'est", "si c'était", "soupçonné", "soupçonnée", "soupçonnés"}, false},
	{"selon", KindHedge, "fr", []string{"selon"}, true},

	// ---- open responsibility -------------------------------------------
	{"no-claim", KindOpen, "en", []string{"no claim", "no claim yet", "not yet claimed", "unclaimed", "who is behind",
		"who was behind", "who did this", "who did it", "did not claim", "didn't claim", "has not claimed", "yet to claim",
		"too early to say", "too early to tell", "too soon to say"}, false},
	{"no-claim-ar", KindOpen, "ar", []string{"لم تتبن", "لم يتبن", "لم تعلن", "من وراء", "من يقف وراء", "لم تتبنى", "من المبكر"}, false},
	{"no-claim-fr", KindOpen, "fr", []string{"pas encore revendiqué", "non revendiqué", "qui est derrière", "trop tôt pour"}, false},

	// ---- denials -------------------------------------------------------
	{"false-flag", KindDeny, "en", []string{"false flag", "nothing to do with", "has nothing to do", "inside job",
		"staged", "hoax", "fabricated", "made up", "fake news", "non-islamic",
		"no evidence", "no link", "no links", "no ties", "no known ties", "no sign", "innocent of", "stop blaming",
		"don't blame", "acted alone", "lone madman", "mentally ill"}, false},
	// Reported denials are usually about something else (a death, a
	// defection): weak.
	{"denies", KindDeny, "en", []string{"denies", "denied", "deny"}, true},
	// "not IS": the negated group name itself; a denial without other context.
	{"not-group", KindDeny, "en", []string{"not isis", "not ^IS", "wasn isis", "wasn ^IS", "isn isis", "not the islamic state",
		"not daesh", "not dawlah", "not islamic state", "not muslims"}, false},
	{"not-group-ar", KindDeny, "ar", []string{"ليس من الدولة", "ليست من الدولة", "ليس داعش", "ليس الدولة", "لم يكن داعش",
		"لم تكن داعش", "لم تكن الدولة", "لم يكن تنظيم الدولة"}, false},
	{"not-group-fr", KindDeny, "fr", []string{"pas l'ei", "pas daech", "pas l'état islamique"}, false},
	{"laysa", KindDeny, "ar", []string{"لا علاقة", "ليس من", "ليست من", "كذب", "كذبة", "مفبرك", "مفبركة",
		"صناعة مخابراتية", "مخابراتية", "تخطيط مخابراتي", "مسرحية", "ينفي", "نفى", "نفت", "تنفي",
		"لا دليل", "لا صلة", "لا ينتمي", "مدبرة", "عملية مدبرة", "بريئون من", "بريء من", "بريئة من", "لا تنسبوا",
		"مختل", "مختل عقليا", "بمفرده"}, false},
	{"rien-a-voir", KindDeny, "fr", []string{"rien à voir", "n'a rien à voir", "fausse bannière", "coup monté",
		"mise en scène", "faux drapeau", "aucun lien", "déséquilibré", "a agi seul", "arrêtez d'accuser"}, false},
	// "Not behind": a denial of authorship on its own, like "not IS".
	{"not-behind", KindDeny, "en", []string{"not behind", "weren't behind", "wasn't behind", "were not behind"}, false},
	{"not-behind-ar", KindDeny, "ar", []string{"ليس وراء", "ليست وراء", "ليسوا وراء", "لم تكن وراء", "لم يكن وراء"}, false},
	{"not-behind-fr", KindDeny, "fr", []string{"pas derrière", "pas responsables", "pas responsable"}, false},
	{"dement", KindDeny, "fr", []string{"dément", "démenti", "nie"}, true},

	// ---- questions (besides ? and ؟, matched as characters) ------------
	{"question-word", KindQuestion, "ar", []string{"هل"}, false},
	{"question-word-fr", KindQuestion, "fr", []string{"est-ce", "est ce que"}, false},

	// ---- negators ------------------------------------------------------
	{"not", KindNegator, "en", []string{"not", "no", "never", "didn", "doesn", "isn", "wasn", "don", "hasn", "haven",
		"hadn", "aren", "weren", "won", "cannot", "neither", "nor", "without"}, false},
	// ما is left out: it is as often "what" as "not".
	{"la", KindNegator, "ar", []string{"لا", "لم", "لن", "ليس", "ليست", "غير", "دون"}, false},
	// "n'" is left out: a bare "n" is too often a word fragment ("#Iraq|n").
	{"ne-pas", KindNegator, "fr", []string{"ne", "pas", "jamais", "aucun", "aucune", "sans"}, false},

	// ---- orientation ---------------------------------------------------
	{"blessed", KindPraise, "en", []string{"alhamdulillah", "alhamdulilah", "allahu akbar", "allahuakbar", "takbir",
		"may allah accept", "may allah accept him", "may allah accept them", "blessed", "heroes", "lions", "brave",
		"victory", "just reward", "revenge for", "retaliation for", "payback", "shaheed", "martyr", "martyrs", "inshallah",
		"insha allah", "baqiyah", "remaining and expanding"}, false},
	{"taqabbalahu", KindPraise, "ar", []string{"تقبله الله", "تقبلهما الله", "تقبلهم الله", "الله أكبر", "الحمد لله",
		"ولله الحمد", "مباركة", "المباركة", "جزاء وفاقا", "جزاءً وفاقًا", "بإذن الله", "نصر", "أبطال", "أسود", "بشرى",
		"باقية", "فتح", "يألمون كما تألمون"}, false},
	{"beni", KindPraise, "fr", []string{"béni", "bénie", "héros", "hamdoulillah"}, false},

	{"rafidah", KindEnemy, "en", []string{"rafidah", "rafidha", "rafida", "rafidi", "rafidhi", "rafidai", "nusayri",
		"nusayris", "nusairi", "safavid", "crusaders", "crusader", "kuffar", "kafir", "apostate", "apostates", "murtadeen",
		"murtaddin", "sahwat", "sahawat", "sahwaat", "taghut", "tawaghit", "infidel", "infidels", "thugs", "pigs",
		"cow worshippers", "mushrikeen"}, false},
	{"rafidah-ar", KindEnemy, "ar", []string{"الروافض", "رافضي", "الرافضي", "الرافضة", "الرافضية", "النصيري",
		"النصيرية", "نصيري", "الصفوي", "الصليبيين", "الصليبي", "صليبي", "المرتدين", "مرتدين", "مرتدي", "المرتد",
		"الردة", "صحوات", "الصحوات", "الطاغوت", "خنازير", "الكفار", "كلاب", "فطائس", "الملاحدة"}, false},
	{"croises", KindEnemy, "fr", []string{"croisés", "apostats", "mécréants", "kouffar", "taghout"}, false},

	{"terrorists", KindCondemn, "en", []string{"terrorist", "terrorists", "terror", "terrorism", "islamicterrorism",
		"condemn", "condemns", "condemned", "cowardly", "cowards", "coward", "barbaric", "barbarians", "savages", "savage",
		"horrific", "evil", "heinous", "murderers", "innocent", "innocents", "victims", "rip", "rest in peace",
		"prayfor*", "stopisis", "wearenotafraid", "jesuis*", "defeat isis", "destroy isis", "wipe out", "cancer",
		"monsters", "scum", "animals", "humiliated", "losers"}, false},
	// Condemning verbs of killing: condemnation, and an event term too
	// ("ISIS cowards murdered …").
	{"murdered", KindCondemn, "en", []string{"murdered"}, false},
	// Arabic إرهاب: condemnation, and the act itself ("إرهاب داعش", Daesh's
	// terrorism, presupposes its authorship, like "ISIS attack").
	// (With its article, الإرهاب, it normalizes to the same word.)
	{"irhab-act", KindCondemn, "ar", []string{"إرهاب"}, false},
	{"irhab", KindCondemn, "ar", []string{"إرهابي", "الإرهابي", "إرهابية", "الإرهابية",
		"الإرهابيين", "مجزرة", "جريمة", "جرائم", "إجرامي", "ندين", "يدين", "إدانة", "وحشية", "الأبرياء", "ضحايا"}, false},
	{"terroristes", KindCondemn, "fr", []string{"terroriste", "terroristes", "terrorisme", "lâche", "lâches",
		"condamne", "condamnent", "barbarie", "barbares", "victimes", "horreur", "humiliés", "anéantissement",
		"recruteurs", "cancer"}, false},
}
