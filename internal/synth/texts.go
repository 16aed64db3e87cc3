package synth

// Template banks. {P} is the event place in the post's language, {O} an
// outlet name, {W} a province name. Each (language, attribution,
// orientation) cell expresses its stance in words, never as a tag; openers
// and closers multiply the variety.

// Languages.
const (
	langEN = iota
	langAR
	langFR
	numLangs
)

var langCodes = [numLangs]string{"en", "ar", "fr"}

// Attribution stance codes (index into attrNames / the labels' code string).
const (
	attrNone = iota
	attrAsserts
	attrSpeculates
	attrDenies
	numAttr
)

// Orientation codes.
const (
	orNeutral = iota
	orSupportive
	orOpposing
	numOrient
)

var (
	attrNames   = [numAttr]string{"none", "asserts", "speculates", "denies"}
	orientNames = [numOrient]string{"neutral", "supportive", "opposing"}
	// attrCodes / orientCodes are the one-letter codes of the labels' stance strings.
	attrCodes   = [numAttr]byte{'n', 'a', 's', 'd'}
	orientCodes = [numOrient]byte{'0', '+', '-'}
)

// place is an event location in the three languages.
type place struct{ en, ar, fr, tag string }

var places = []place{
	{"Paris", "باريس", "Paris", "Paris"},
	{"Brussels", "بروكسل", "Bruxelles", "Brussels"},
	{"Nice", "نيس", "Nice", "Nice"},
	{"Berlin", "برلين", "Berlin", "Berlin"},
	{"London", "لندن", "Londres", "London"},
	{"Manchester", "مانشستر", "Manchester", "Manchester"},
	{"Barcelona", "برشلونة", "Barcelone", "Barcelona"},
	{"Vienna", "فيينا", "Vienne", "Vienna"},
}

// stanceBank[lang][attr][orient] lists core sentences.
var stanceBank = [numLangs][numAttr][numOrient][]string{
	langEN: {
		attrNone: {
			orNeutral: {
				"Explosions reported near the stadium in {P}",
				"Live updates: shooting in central {P}, several casualties",
				"Police cordon off streets in {P} after gunfire",
				"Hospitals in {P} call for blood donors",
				"Roads closed and metro stopped in {P} tonight",
				"Eyewitnesses describe panic in the streets of {P}",
				"Death toll in {P} rises, officials say",
			},
			orSupportive: {
				"Allahu akbar, the crusaders are crying tonight",
				"The kuffar of {P} are finally tasting what they do to us",
				"Tonight {P} trembles. Remaining and expanding",
				"Let them weep in {P}, they bombed our children first",
				"What a night for the believers, {P} is on its knees",
			},
			orOpposing: {
				"Praying for {P}. Stand together against terror",
				"Heartbroken for the victims in {P}",
				"Terror will never win. Love to everyone in {P}",
				"My thoughts are with the families in {P} tonight",
				"Horrible scenes from {P}, hug your loved ones",
			},
		},
		attrAsserts: {
			orNeutral: {
				"Islamic State has claimed responsibility for the {P} attack, according to its news agency",
				"IS claims the {P} attacks in an online statement",
				"Breaking: ISIS statement says its fighters carried out the attack in {P}",
				"Officials confirm the group behind the {P} attack is Islamic State",
				"The {P} attackers pledged allegiance to ISIS, investigators say",
			},
			orSupportive: {
				"The soldiers of the Caliphate struck {P} tonight",
				"The lions of the Islamic State have hit the crusaders in {P}",
				"This is the work of the Khilafah's soldiers, {P} will not sleep tonight",
				"The State promised and the State delivered in {P}",
				"Brothers of the Dawla carried out the blessed raid on {P}",
				"Dawlah did it: the {P} raid was carried out by the soldiers of the Caliphate",
			},
			orOpposing: {
				"ISIS cowards murdered innocent people in {P}. Disgusting.",
				"Daesh did this to {P}. These butchers must be stopped",
				"IS terrorists claim the {P} massacre. They will pay for this",
				"Another ISIS massacre, this time in {P}. Enough is enough",
				"The so-called Islamic State slaughtered civilians in {P}. Nothing holy about it",
			},
		},
		attrSpeculates: {
			orNeutral: {
				"Maybe it was IS?",
				"Too early to say who is behind the {P} attack, some suspect ISIS",
				"Reports suggest a possible IS link to the {P} shooting",
				"Was this ISIS? No claim yet for {P}",
				"Unconfirmed: investigators looking at possible IS involvement in {P}",
			},
			orSupportive: {
				"Could it be the lions of the Caliphate in {P}?",
				"Maybe the soldiers of the State have reached {P}, Allah knows best",
				"If this is the Dawla in {P}, what a blessed night",
				"Is this a raid by the brothers? Waiting for the official word from {P}",
			},
			orOpposing: {
				"If it's ISIS again they must be wiped out. Thoughts with {P}",
				"Probably Daesh scum again. Heartbreaking news from {P}",
				"Looks like another ISIS attack in {P}. When will this end?",
				"Bet it's those ISIS savages again, poor {P}",
			},
		},
		attrDenies: {
			orNeutral: {
				"Police say there is no evidence yet linking the {P} attack to IS",
				"Authorities: the {P} suspect had no known ties to any group",
				"No sign so far that ISIS was involved in {P}, officials say",
			},
			orSupportive: {
				"This has nothing to do with the State, the media lies as usual",
				"The Dawla did not do {P}, it's a false flag by the kuffar",
				"Don't believe them, the brothers were not behind {P}",
			},
			orOpposing: {
				"Stop blaming Islam: the {P} killer was a lone madman, not a soldier of anything",
				"This was not ISIS, stop spreading rumours about {P}",
				"Don't give Daesh credit for {P}, this was one criminal",
			},
		},
	},
	langAR: {
		attrNone: {
			orNeutral: {
				"عاجل: انفجارات قرب الملعب في {P}",
				"إطلاق نار في وسط {P} وأنباء عن ضحايا",
				"الشرطة تغلق الشوارع في {P} بعد إطلاق نار",
				"مستشفيات {P} تطلب متبرعين بالدم",
				"ارتفاع عدد القتلى في {P} بحسب مسؤولين",
				"شهود عيان يصفون حالة الذعر في شوارع {P}",
			},
			orSupportive: {
				"الله أكبر، الصليبيون يبكون الليلة",
				"اليوم تذوق {P} بعض ما أذاقونا، باقية وتتمدد",
				"فليبكوا في {P}، فقد قصفوا أطفالنا أولا",
				"ليلة فرح للموحدين، {P} جاثية على ركبتيها",
			},
			orOpposing: {
				"اللهم ارحم ضحايا {P}، الإرهاب لا دين له",
				"قلوبنا مع أهل {P} الليلة",
				"الإرهاب لن ينتصر، تضامننا مع {P}",
				"مشاهد مؤلمة من {P}، حفظ الله الأبرياء",
			},
		},
		attrAsserts: {
			orNeutral: {
				"تنظيم الدولة يتبنى هجوم {P} عبر وكالته",
				"عاجل: داعش يعلن مسؤوليته عن هجمات {P}",
				"مصادر رسمية: تنظيم الدولة وراء هجوم {P}",
				"بيان منسوب لتنظيم الدولة يتبنى هجمات {P}",
			},
			orSupportive: {
				"الله أكبر، جنود الخلافة ضربوا {P}",
				"أسود الدولة الإسلامية يضربون الصليبيين في {P}",
				"غزوة {P} المباركة نفذها جنود الخلافة",
				"وعدت الدولة فأوفت، {P} تحت ضربات المجاهدين",
				"الدولة الإسلامية تتبنى غزوة {P}، بارك الله في الإخوة",
			},
			orOpposing: {
				"داعش الإرهابي يقتل الأبرياء في {P}، جريمة نكراء",
				"خوارج داعش وراء مجزرة {P}، لا يمثلون الإسلام",
				"تنظيم داعش المجرم يتبنى قتل المدنيين في {P}",
			},
		},
		attrSpeculates: {
			orNeutral: {
				"هل يقف تنظيم الدولة وراء هجوم {P}؟",
				"من المبكر تحديد الجهة المسؤولة عن هجوم {P}، والبعض يتحدث عن تنظيم الدولة",
				"تقارير عن صلة محتملة لداعش بهجوم {P}",
			},
			orSupportive: {
				"هل هم أسود الخلافة في {P}؟ الله أعلم",
				"لعلها غزوة من جنود الدولة، ننتظر البيان الرسمي",
				"ربما وصل جنود الخلافة إلى {P}، اللهم انصرهم",
			},
			orOpposing: {
				"إن كان داعش وراء هذا فهم أعداء الإسلام، اللهم احفظ أهل {P}",
				"يبدو أنه إرهاب داعش مجددا في {P}، حسبنا الله",
			},
		},
		attrDenies: {
			orNeutral: {
				"الشرطة: لا دليل حتى الآن على صلة داعش بهجوم {P}",
				"السلطات: منفذ هجوم {P} لا ينتمي لأي تنظيم",
			},
			orSupportive: {
				"لا علاقة للدولة بما حدث في {P}، إعلام الكفار يكذب",
				"هذه عملية مدبرة، الإخوة بريئون من هجوم {P}",
			},
			orOpposing: {
				"لا تنسبوا هجوم {P} للإسلام، القاتل مجرم وحده",
				"لم يكن داعش، أوقفوا نشر الشائعات عن {P}",
			},
		},
	},
	langFR: {
		attrNone: {
			orNeutral: {
				"Explosions signalées près du stade à {P}",
				"Fusillade dans le centre de {P}, plusieurs victimes",
				"La police boucle des rues à {P} après des tirs",
				"Les hôpitaux de {P} appellent aux dons du sang",
				"Le bilan s'alourdit à {P}, selon les autorités",
				"Des témoins décrivent la panique dans les rues de {P}",
			},
			orSupportive: {
				"Allahu akbar, les croisés pleurent ce soir",
				"{P} goûte enfin à ce qu'ils nous font subir",
				"Qu'ils pleurent à {P}, ils ont bombardé nos enfants d'abord",
			},
			orOpposing: {
				"Pensées pour {P}. Unis contre la terreur",
				"Le cœur brisé pour les victimes de {P}",
				"La terreur ne gagnera jamais. Courage à {P}",
				"Toutes mes pensées aux familles de {P} ce soir",
			},
		},
		attrAsserts: {
			orNeutral: {
				"L'État islamique revendique l'attaque de {P}, selon son agence",
				"Daech revendique les attentats de {P} dans un communiqué",
				"Selon les enquêteurs, les assaillants de {P} se réclamaient de l'EI",
			},
			orSupportive: {
				"Les soldats du Califat ont frappé {P} ce soir",
				"Les lions de l'État islamique ont touché les croisés à {P}",
				"Le raid béni sur {P} a été mené par les soldats du Califat",
				"L'État l'avait promis, {P} a été frappée par les frères",
			},
			orOpposing: {
				"Daech a massacré des innocents à {P}. Ignoble.",
				"Les lâches de l'EI revendiquent le carnage de {P}",
				"Encore un massacre de Daech, cette fois à {P}. Ça suffit",
			},
		},
		attrSpeculates: {
			orNeutral: {
				"Peut-être une attaque de Daech ?",
				"Trop tôt pour savoir qui est derrière l'attaque de {P}, certains évoquent l'EI",
				"L'EI serait derrière la fusillade de {P}, selon des sources policières",
			},
			orSupportive: {
				"Serait-ce les lions du Califat à {P} ? Allah sait mieux",
				"Peut-être que les soldats de l'État sont arrivés à {P}, on attend le communiqué",
			},
			orOpposing: {
				"Si c'est encore Daech, il faut les anéantir. Pensées pour {P}",
				"Sans doute encore ces barbares de l'EI. Terrible nouvelle de {P}",
			},
		},
		attrDenies: {
			orNeutral: {
				"La police : aucun lien établi à ce stade entre l'attaque de {P} et l'EI",
				"Selon les autorités, le suspect de {P} n'appartenait à aucun groupe",
			},
			orSupportive: {
				"L'État n'a rien à voir avec {P}, les médias mentent comme d'habitude",
				"C'est un coup monté, les frères ne sont pas derrière {P}",
			},
			orOpposing: {
				"Arrêtez d'accuser l'islam : le tueur de {P} était un déséquilibré",
				"Ce n'était pas Daech, arrêtez les rumeurs sur {P}",
			},
		},
	},
}

var openers = [numLangs][]string{
	langEN: {"", "", "", "", "Just now:", "Update:", "Wow,", "Honestly,", "OMG", "Listen:", "Unreal."},
	langAR: {"", "", "", "", "عاجل:", "الآن:", "سبحان الله،", "يا جماعة،", "والله"},
	langFR: {"", "", "", "", "Urgent :", "Là maintenant :", "Franchement,", "Incroyable,", "Bon,"},
}

var closers = [numOrient][]string{
	orNeutral:    {"", "", "", ".", " ⚠️", " 📢", "..."},
	orSupportive: {"", "", "", "!", " 🦁", " ☝️", " 🏴", "!!"},
	orOpposing:   {"", "", "", ".", " 💔", " 🙏", " 😢", " 😡", "!!"},
}

// Daily chatter: subject + predicate + tail, per language.
var chatterSubj = [numLangs][]string{
	langEN: {"the match", "this weather", "my coffee", "the new phone", "traffic", "the exam", "the concert", "work", "the game last night", "this song", "the new series", "my commute", "the election debate", "the price of bread", "this app update", "the final"},
	langAR: {"المباراة", "الجو اليوم", "القهوة", "الامتحان", "الزحمة", "الحفلة", "الدوام", "الجوال الجديد", "المسلسل", "الأسعار", "الدوري", "الطريق"},
	langFR: {"le match", "la météo", "mon café", "le nouveau téléphone", "les bouchons", "l'examen", "le concert", "le boulot", "la série", "le prix du pain", "la finale", "le métro"},
}

var chatterPred = [numLangs][]string{
	langEN: {"is wild", "was amazing", "made my day", "is killing me", "was a disaster", "is so overrated", "never gets old", "is everything", "is a joke", "surprised me", "ruined my morning", "could be better"},
	langAR: {"كانت رائعة", "ما لها حل", "تجنن", "مملة جدا", "أفضل شيء اليوم", "صعبة", "خربت يومي", "فاجأتني", "عادية"},
	langFR: {"c'est n'importe quoi", "était génial", "m'a sauvé la journée", "me tue", "un vrai désastre", "trop surcoté", "toujours aussi bien", "m'a surpris", "bof"},
}

var chatterTail = [numLangs][]string{
	langEN: {"", "", " today", " tbh", " lol", " again", " 😂", " 🙄", " ☕", " ngl", " fr"},
	langAR: {"", "", " والله", " 😂", " يا جماعة", " ههههه", " اليوم", " 🙄"},
	langFR: {"", "", " aujourd'hui", " mdr", " encore", " 😂", " 🙄", " franchement"},
}

// Context phrases appended to organic posts for variety.
var contextBank = [numLangs][]string{
	langEN: {"this morning", "tonight", "at work", "on the train", "with my family", "right now", "from home", "after dinner", "before bed", "on my break", "at the café", "in the office", "this afternoon", "at uni"},
	langAR: {"هذا الصباح", "الليلة", "في الدوام", "في الطريق", "مع العائلة", "الحين", "من البيت", "بعد العشاء", "قبل النوم", "في الاستراحة", "في المقهى", "بعد الظهر"},
	langFR: {"ce matin", "ce soir", "au boulot", "dans le train", "en famille", "là maintenant", "depuis chez moi", "après le dîner", "avant de dormir", "à la pause", "au café", "cet après-midi", "à la fac"},
}

// Supporters' routine (pre-event) content: no attribution, supportive.
var supportChatter = [numLangs][]string{
	langEN: {"Remaining and expanding", "May Allah grant victory to the mujahideen", "The Khilafah is a promise", "Read the new issue, brothers", "Patience, the victory is near", "Our brothers in Wilayat {W} stand firm"},
	langAR: {"باقية وتتمدد", "اللهم انصر المجاهدين", "الخلافة وعد الله", "اقرؤوا العدد الجديد يا إخوة", "صبرا فإن النصر قريب", "إخواننا في ولاية {W} ثابتون"},
	langFR: {"Elle demeure et s'étend", "Qu'Allah donne la victoire aux moudjahidines", "Le Califat est une promesse", "Lisez le nouveau numéro, les frères", "Patience, la victoire est proche", "Nos frères de la wilaya de {W} tiennent bon"},
}

// Calls to action planted supporters add to campaign posts.
var callBank = [numLangs][]string{
	langEN: {"Spread it.", "Share before they delete it", "Follow the brothers", "Pray for the mujahideen", "Victory is near", "Keep posting, brothers", "Let the world hear", "Do not stay silent", "Be media mujahid"},
	langAR: {"انشروا", "انشروا قبل الحذف", "تابعوا الإخوة", "ادعوا للمجاهدين", "النصر قريب", "واصلوا النشر يا إخوة", "أسمعوا العالم", "لا تسكتوا", "كن مجاهدا إعلاميا"},
	langFR: {"Partagez.", "Partagez avant la suppression", "Suivez les frères", "Priez pour les moudjahidines", "La victoire est proche", "Continuez à publier, les frères", "Que le monde entende", "Ne restez pas silencieux"},
}

// Counter-messages opponents add when they flood a campaign hashtag.
var counterBank = [numLangs][]string{
	langEN: {"Not in my name.", "Islam means peace, not this", "Stop using this hashtag to spread hate", "Report these accounts", "They will never divide us", "Flood their tag with love", "Muslims condemn this", "Shame on whoever celebrates this", "Unfollow and report", "Solidarity with the victims", "We stand united", "Don't retweet their propaganda"},
	langAR: {"ليس باسمي", "الإسلام دين سلام", "أوقفوا نشر الكراهية في هذا الوسم", "بلغوا عن هذه الحسابات", "لن يفرقونا", "الإرهاب لا يمثلنا", "العار لمن يحتفل بهذا", "تضامننا مع الضحايا", "لا تنشروا دعايتهم", "نحن صف واحد"},
	langFR: {"Pas en mon nom.", "L'islam, c'est la paix", "Arrêtez de répandre la haine avec ce hashtag", "Signalez ces comptes", "Ils ne nous diviseront jamais", "Honte à ceux qui célèbrent ça", "Solidarité avec les victimes", "Ne relayez pas leur propagande", "Unis face à la terreur"},
}

// Automation (scheduled bot) bulletins: [lang][0: no attribution, 1: asserts].
var automationBank = [numLangs][2][]string{
	langEN: {
		{"Bulletin {N}: new release from the brothers in Wilayat {W}, download it now", "Channel update {N}: follow our new backup account", "Daily digest {N}: news of the mujahideen in Wilayat {W}"},
		{"Bulletin {N}: the Khilafah claims the blessed raid on {P}, full statement inside", "Update {N}: official claim for the {P} operation by the soldiers of the Khilafah", "Digest {N}: the Dawla's statement on {P} is out, read and share"},
	},
	langAR: {
		{"نشرة {N}: إصدار جديد للإخوة في ولاية {W}، حملوه الآن", "تحديث القناة {N}: تابعوا حسابنا الاحتياطي الجديد", "الحصاد {N}: أخبار المجاهدين في ولاية {W}"},
		{"نشرة {N}: الدولة الإسلامية تتبنى غزوة {P}، البيان كاملا", "تحديث {N}: تبني رسمي لعملية {P} من جنود الخلافة", "الحصاد {N}: صدر بيان الدولة حول {P}، اقرؤوا وانشروا"},
	},
	langFR: {
		{"Bulletin {N} : nouvelle publication des frères de la wilaya de {W}, téléchargez-la", "Mise à jour {N} : suivez notre nouveau compte de secours", "Résumé {N} : nouvelles des moudjahidines de la wilaya de {W}"},
		{"Bulletin {N} : le Califat revendique le raid béni sur {P}, communiqué complet", "Mise à jour {N} : revendication officielle de l'opération de {P} par les soldats du Califat", "Résumé {N} : le communiqué de l'État sur {P} est sorti, lisez et partagez"},
	},
}

var provinces = []string{"Ninawa", "Raqqa", "Halab", "al-Khayr", "Sinai", "Barqa", "Khorasan", "Dijlah", "al-Furat", "Kirkuk"}

// Leaders' quotes for copypasta groups: [lang][quote]. Quote i is the same
// statement in each language.
var leaderQuotes = [numLangs][]string{
	langEN: {
		"O soldiers of the Caliphate, strike them in their homes and their streets, for the promise of Allah is true and the crusaders will know no peace until they taste what our people taste",
		"We say to the nations of the cross: you will not dream of safety while your planes bomb the Muslims, and what the soldiers of the Caliphate brought you tonight in {P} is only the beginning of the storm",
		"Rejoice, for the Caliphate remains and expands, and its soldiers have shown the world that no border and no army can stop the will of the believers",
	},
	langAR: {
		"يا جنود الخلافة اضربوهم في ديارهم وشوارعهم فإن وعد الله حق ولن يهنأ الصليبيون بأمن حتى يذوقوا ما يذوقه أهلنا",
		"نقول لأمم الصليب لن تحلموا بالأمن ما دامت طائراتكم تقصف المسلمين وما أتاكم به جنود الخلافة الليلة في {P} إلا أول العاصفة",
		"أبشروا فإن الخلافة باقية وتتمدد وقد أرى جنودها العالم أنه لا حدود ولا جيوش تقف أمام عزيمة المؤمنين",
	},
	langFR: {
		"Ô soldats du Califat, frappez-les dans leurs maisons et dans leurs rues, car la promesse d'Allah est vraie et les croisés ne connaîtront pas la paix tant qu'ils n'auront pas goûté ce que goûte notre peuple",
		"Nous disons aux nations de la croix : vous ne rêverez pas de sécurité tant que vos avions bombardent les musulmans, et ce que les soldats du Califat vous ont apporté ce soir à {P} n'est que le début de la tempête",
		"Réjouissez-vous, car le Califat demeure et s'étend, et ses soldats ont montré au monde qu'aucune frontière ni aucune armée ne peut arrêter la volonté des croyants",
	},
}

// leaderQuoteAttr is the attribution each leader quote expresses. Quote 0
// is a call to attack and quote 2 praise of the group: neither attributes a
// specific event (docs/stance-guidelines.md, "general propaganda"); quote 1
// names the Caliphate's soldiers as the authors of tonight's attack.
var leaderQuoteAttr = []uint8{attrNone, attrAsserts, attrNone}

var quotePrefix = [numLangs][]string{
	langEN: {"", "", "The Sheikh said: ", "📢 ", "Listen to the words of the Emir: ", "Must read: "},
	langAR: {"", "", "قال الشيخ حفظه الله: ", "📢 ", "كلمة الأمير: ", "اقرؤوا: "},
	langFR: {"", "", "Le Cheikh a dit : ", "📢 ", "Écoutez le message de l'émir : ", "À lire : "},
}

// Archival statements (old speeches) recirculated after the event.
var archivalTexts = [numLangs][]string{
	langEN: {
		"Old words, still true: the lands of the crusaders will burn as long as they fight the Muslims, and every city of theirs is within reach of the soldiers of tawhid",
		"Remember what was said years ago: whoever fights the believers shall find no safe street, no safe market and no safe stadium",
	},
	langAR: {
		"كلام قديم ما زال حقا: ستحترق ديار الصليبيين ما داموا يقاتلون المسلمين وكل مدنهم في متناول جنود التوحيد",
		"تذكروا ما قيل قبل سنوات: من حارب المؤمنين فلن يجد شارعا آمنا ولا سوقا آمنا ولا ملعبا آمنا",
	},
	langFR: {
		"De vieilles paroles, toujours vraies : les terres des croisés brûleront tant qu'ils combattront les musulmans, et chacune de leurs villes est à portée des soldats du tawhid",
		"Souvenez-vous de ce qui a été dit il y a des années : qui combat les croyants ne trouvera ni rue sûre, ni marché sûr, ni stade sûr",
	},
}

// Outlet release texts: {O} outlet, {P} place.
var outletReleaseBank = [numLangs][]string{
	langEN: {
		"{O} Agency: a security source reports that the attack in {P} was carried out by soldiers of the Islamic State",
		"{O}: photos from the blessed raid on {P}, carried out by the soldiers of the Caliphate",
		"{O} | Statement on the {P} operation: the soldiers of the State reached their targets",
		"{O}: the fighters who struck {P} were soldiers of the Islamic State, part {K}",
	},
	langAR: {
		"وكالة {O}: مصدر أمني يفيد بأن منفذي هجوم {P} جنود للدولة الإسلامية",
		"{O}: صور من غزوة {P} المباركة التي نفذها جنود الخلافة",
		"{O} | بيان حول عملية {P}: جنود الدولة بلغوا أهدافهم",
		"{O}: منفذو هجمات {P} من جنود الدولة الإسلامية، الجزء {K}",
	},
	langFR: {
		"Agence {O} : une source sécuritaire affirme que l'attaque de {P} a été menée par des soldats de l'État islamique",
		"{O} : images du raid béni sur {P}, mené par les soldats du Califat",
		"{O} | Communiqué sur l'opération de {P} : les soldats de l'État ont atteint leurs cibles",
	},
}

// Outlet posts after T0 that attribute nothing (photos of the reactions,
// calls to follow): the non-asserting part of a release series.
var outletFollowBank = [numLangs][]string{
	langEN: {"{O}: the crusaders of {P} in panic, photo report part {K}", "{O}: follow our new channel for the coming releases, part {K}"},
	langAR: {"{O}: الصليبيون في {P} في حالة ذعر، تقرير مصور الجزء {K}", "{O}: تابعوا قناتنا الجديدة للإصدارات القادمة، الجزء {K}"},
	langFR: {"{O} : les croisés de {P} dans la panique, reportage photo partie {K}", "{O} : suivez notre nouvelle chaîne pour les prochaines publications, partie {K}"},
}

var outletRoutineBank = [numLangs][]string{
	langEN: {"{O} daily report: news from Wilayat {W}, part {K}", "{O}: new photo series from Wilayat {W}, part {K}"},
	langAR: {"{O} الحصاد اليومي: أخبار ولاية {W}، الجزء {K}", "{O}: سلسلة صور جديدة من ولاية {W}، الجزء {K}"},
	langFR: {"{O} bilan du jour : nouvelles de la wilaya de {W}, partie {K}", "{O} : nouvelle série de photos de la wilaya de {W}, partie {K}"},
}

// outlets are the branded media outlets (name as prefixed, hashtag).
var outletNames = []struct{ name, tag string }{
	{"Amaq", "AmaqAgency"},
	{"Nashir", "NashirNews"},
	{"Furat", "FuratMedia"},
	{"Wafa", "WafaFoundation"},
}

// Organic hashtag words (Zipf-ranked in this order, then synthetic tails).
var organicTagWords = []string{
	"news", "football", "عاجل", "France", "music", "PSG", "السعودية", "Ligue1", "breaking", "iPhone",
	"الهلال", "Paris", "NBA", "TGIF", "politique", "love", "مصر", "tech", "ChampionsLeague", "OM",
	"قطر", "travel", "cinema", "photography", "اليمن", "elections", "Syria", "سوريا", "weather", "fashion",
	"gaming", "crypto", "climat", "art", "food", "العراق", "books", "TV", "foot", "Netflix",
}

// Event hashtags appear only after T0 in organic reactions ({T} place tag).
var eventTagPatterns = []string{"{T}Attacks", "PrayFor{T}", "{T}", "{T}Shooting", "JeSuis{T}", "Solidarity{T}"}

// neutralEventTags index the descriptive event tags in eventTagPatterns
// (the others express solidarity with the victims).
var neutralEventTags = []int{0, 2, 3}

// Campaign hashtag patterns for hashtag_campaign groups ({T} place tag, {A} Arabic place).
var campaignTagPatterns = []string{"غزوة_{A}", "{A}_تحترق", "GhazwatNov{N}", "CaliphateStrikes{T}", "{T}UnderFire", "جنود_الخلافة_{N}", "Khilafah{T}{N}", "الدولة_الإسلامية_{N}"}

// Counter tags opponents add when hijacking a campaign hashtag.
var counterTags = [numLangs]string{langEN: "NotInMyName", langAR: "ليس_باسمي", langFR: "PasEnMonNom"}

var organicDomains = []string{
	"https://www.bbc.co.uk/news/world-", "https://www.lemonde.fr/international/article/", "https://www.aljazeera.net/news/",
	"https://www.reuters.com/article/", "https://www.youtube.com/watch?v=", "https://www.lefigaro.fr/actualite/",
	"https://edition.cnn.com/", "https://www.alarabiya.net/ar/", "https://www.theguardian.com/world/",
	"https://www.france24.com/fr/", "https://medium.com/@", "https://www.instagram.com/p/",
}

var campaignDomains = []string{"https://justpaste.it/", "https://archive.org/details/", "https://telegra.ph/", "https://dump.to/", "https://sendvid.com/", "https://files.fm/u/"}

var handleFirst = [numLangs][]string{
	langEN: {"john", "mike", "sarah", "emma", "alex", "chris", "dave", "lucy", "sam", "kate", "tom", "anna", "ryan", "jess", "ben", "olivia"},
	langAR: {"abu", "umm", "ahmad", "omar", "khalid", "fatima", "yusuf", "ali", "hamza", "aisha", "ibrahim", "zaid", "mariam", "saad", "huda", "bilal"},
	langFR: {"julien", "camille", "lea", "hugo", "marie", "lucas", "chloe", "nicolas", "manon", "theo", "ines", "louis", "sarah", "maxime"},
}

var handleSecond = []string{"", "_", "", "x", "_the", "", "real", "_official", "", "99", "_fan", "", "dz", "_92", "fr", "ksa", "_news", "_"}

var clients = []string{"Twitter for Android", "Twitter for iPhone", "Twitter Web Client", "TweetDeck", "Twitter for Android", "Twitter for iPhone", "Twitter Lite", "Twitter for iPad"}
