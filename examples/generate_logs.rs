//! Synthetic customer-service conversation logs for trying Candor at scale.
//!
//! ```text
//! cargo run --release --example generate_logs -- --conversations 100000 --format jsonl --seed 7 --out logs.jsonl
//! ```
//!
//! Options:
//!
//! * `--conversations N` (default 1000), `--seed S` (default 1), `--out PATH` (`-` = stdout, the default)
//! * `--format jsonl|json|csv|tsv` (default jsonl)
//! * `--interleave`: message-level formats (jsonl, csv, tsv) are written sorted by time across
//!   conversations, as real exports are, instead of one conversation after another
//! * `--out-of-place F` (default 0): message-level formats only; a share F of the lines (0.02 = 2%) is
//!   written later than its place, 1 to 2,000 lines later (log-uniform), as exports merged from several
//!   sources are
//! * `--id-prefix P` (default `conv-`), `--start-id K` (default 1): conversation ids are `P` + number
//! * `--channel C`: every conversation on channel C (chat, messaging, email, voice, social)
//! * `--header canonical|synonyms`: CSV/TSV header names (`synonyms` = ticket_id, created_at, author_type, body)
//! * `--roles canonical|mixed`: `mixed` writes role aliases (bot, assistant, agent, rep, user, client…)
//! * `--lang en|es|de|fr|mix` (default mix: mostly English)
//!
//! Output is streamed with constant memory (interleaving keeps only the conversations still open at
//! the current time). Only the data goes to the output; a one-line summary with the intended path and
//! finding counts goes to stderr.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A development tool: a failure here is a bug to fix, not a user error.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::time::Instant;

// ------------------------------------------------------------------------------------------ PRNG

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn f(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 32) as usize * n) >> 32
    }
    fn chance(&mut self, p: f64) -> bool {
        self.f() < p
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.f() * (hi - lo + 1) as f64) as i64
    }
    fn pick<'a>(&mut self, xs: &'a [&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    /// Log-uniform duration in seconds between lo and hi.
    fn gap(&mut self, lo: f64, hi: f64) -> i64 {
        (lo * (hi / lo).powf(self.f())).round() as i64
    }
}

// ------------------------------------------------------------------------------------------ text

struct Topic {
    team: &'static str,
    open: &'static [&'static str],
    answer: &'static [&'static str],
    follow: &'static [&'static str],
    answer2: &'static [&'static str],
    human: &'static [&'static str],
}

struct Lex {
    code: &'static str,
    greet_disc: &'static [&'static str],
    greet_disc_offer: &'static [&'static str],
    greet_plain: &'static [&'static str],
    late_disc: &'static [&'static str],
    offer: &'static [&'static str],
    banner: &'static [&'static str],
    voice_banner: &'static [&'static str],
    button: &'static [&'static str],
    ask: &'static [&'static str],
    ask_again: &'static [&'static str],
    deflect: &'static [&'static str],
    transfer: &'static [&'static str],
    ai_transfer: &'static [&'static str],
    handoff: &'static [&'static str],
    no_agents: &'static [&'static str],
    human_greet: &'static [&'static str],
    human_close: &'static [&'static str],
    id_q: &'static [&'static str],
    id_yes: &'static [&'static str],
    id_evasive: &'static [&'static str],
    id_deny: &'static [&'static str],
    deny_unprompted: &'static [&'static str],
    thanks: &'static [&'static str],
    unhappy: &'static [&'static str],
    ai_close: &'static [&'static str],
    notice: &'static [&'static str],
    offline: &'static [&'static str],
    nudge: &'static [&'static str],
    rated: &'static [&'static str],
    email_hi: &'static [&'static str],
    email_bye: &'static [&'static str],
    topics: &'static [Topic],
}

const BRAND: &str = "Northwind Mobile";
const BOTS: &[&str] = &["Nova", "Nori", "Max", "Ivy", "Skye", "Wendi"];
const AGENTS: &[&str] = &[
    "Maria", "Daniel", "Priya", "Tom", "Laura", "Ahmed", "Greta", "Ana", "Peter", "Sophie", "Omar",
    "Jonas", "Carla", "Ben", "Nadia", "Kim", "Rosa", "Leo", "Hannah", "Marcus", "Aisha", "Lucas",
    "Emma", "Tariq", "Chloé", "Javier", "Lena", "Mateo", "Inés", "Yusuf",
];
const TEAMS: &[&str] = &[
    "billing",
    "technical support",
    "retention",
    "orders",
    "roaming",
    "fraud",
];
const CITIES: &[&str] = &[
    "Leeds",
    "Bristol",
    "Manchester",
    "Glasgow",
    "Cardiff",
    "Leicester",
    "Brighton",
    "York",
];

static EN_TOPICS: &[Topic] = &[
    Topic {
        team: "billing",
        open: &[
            "Why is my bill {amount} higher this month?",
            "my bill is way more than usual??",
            "Hi, I was charged {amount} more than my normal monthly price. Can you explain?",
            "hello, this month's invoice doesn't look right, it's {amount} over",
        ],
        answer: &[
            "I can see a one-off roaming charge of {amount} from {date}. That's why this bill is higher.",
            "Your bill includes a pro-rated charge of {amount} because your plan changed on {date}.",
            "The difference is a late-payment fee of {amount} added on {date}.",
        ],
        follow: &[
            "can I get that refunded?",
            "I didn't use roaming though",
            "ok, why wasn't I told about that?",
            "That's not fair, I paid on time",
        ],
        answer2: &[
            "I've logged a review of the charge; you'll get an answer by email within 3 working days.",
            "Roaming charges apply when your phone connects to a foreign network, even briefly near a border. I've emailed you the breakdown.",
            "I've raised a billing review with reference BR-{digits}. You won't be charged late fees while it's open.",
        ],
        human: &[
            "I've looked into it and refunded {amount} as a goodwill gesture; you'll see it on your next bill.",
            "I've checked the usage records: the charge is correct, but I've applied a one-time credit of {amount}.",
            "You're right, the fee shouldn't be there. I've removed it and sent you a corrected invoice.",
        ],
    },
    Topic {
        team: "billing",
        open: &[
            "how much data do I have left",
            "What's my data balance?",
            "hi, can you check how many GB I have left this month",
            "I keep getting low data warnings, how much is left?",
        ],
        answer: &[
            "You have {gb} GB left; your allowance renews on {date}.",
            "You've used most of it: {gb} GB remaining until {date}.",
        ],
        follow: &[
            "can I buy more?",
            "ok, is there an unlimited plan?",
            "why does it go so fast",
        ],
        answer2: &[
            "Yes, a 5 GB add-on costs $8 and is valid until your renewal date. Reply YES to add it.",
            "Our Unlimited plan is $35/month; you can switch in the app under My Plan.",
            "Video streaming uses the most data. You can turn on Data Saver in the app to slow it down.",
        ],
        human: &[
            "I've added a free 2 GB boost for this month, and switched on usage alerts at 80%.",
            "I've moved you to the Unlimited plan from today, pro-rated on your next bill.",
        ],
    },
    Topic {
        team: "orders",
        open: &[
            "Where is my order {order}?",
            "my new phone was supposed to arrive yesterday",
            "hi, order {order} still says processing",
            "The delivery of my SIM hasn't shown up",
        ],
        answer: &[
            "Order {order} left our warehouse on {date} and is out for delivery today.",
            "Your order is with the courier; the tracking link was sent to your email. Expected delivery: {date}.",
        ],
        follow: &[
            "nobody was home, what happens now?",
            "can I pick it up from a store instead?",
            "the tracking link doesn't work",
        ],
        answer2: &[
            "The courier will try again tomorrow, or you can pick it up at your local depot with photo ID.",
            "Yes, I've switched delivery to click & collect at our {city} store.",
            "I've re-sent the tracking link by SMS. It can take a few hours to update.",
        ],
        human: &[
            "I've called the courier: the parcel is at the depot. I've booked redelivery for tomorrow morning.",
            "The parcel was lost in transit, sorry! I've shipped a replacement with express delivery at no cost.",
        ],
    },
    Topic {
        team: "technical support",
        open: &[
            "my eSIM won't activate",
            "I scanned the QR code but there's no signal",
            "Hi, how do I move my eSIM to a new phone?",
        ],
        answer: &[
            "Please restart your phone and check that Mobile Data is switched on for the {brand} line.",
            "eSIM transfers are done in the app under SIM > Transfer eSIM. It takes about 10 minutes.",
        ],
        follow: &[
            "still nothing",
            "it says 'activation failed'",
            "how long does activation take?",
        ],
        answer2: &[
            "I've sent a fresh eSIM profile to your email. Scan it over Wi-Fi and restart.",
            "That usually means the QR code expired. I've issued a new one to your email.",
            "Activation can take up to an hour. If it still fails, a new QR code can be issued in any store.",
        ],
        human: &[
            "I've reset the eSIM profile on our side and you should have signal within 5 minutes.",
            "There was a stuck provisioning order on your line; I've cleared it. Please restart your phone now.",
        ],
    },
    Topic {
        team: "fraud",
        open: &[
            "my phone was stolen, I need to block my number",
            "I lost my phone on the train",
            "Help, someone stole my phone!",
        ],
        answer: &[
            "I'm sorry to hear that. I've suspended the SIM so nobody can use it. Would you like a replacement SIM?",
            "I've barred your line to stop any calls or data use. You can report the IMEI to the police too.",
        ],
        follow: &[
            "yes please send a new SIM",
            "will I keep my number?",
            "can you also block the handset?",
        ],
        answer2: &[
            "A replacement SIM with your existing number will arrive in 1 to 2 working days.",
            "Yes, your number stays the same. The new SIM will have it as soon as you activate it.",
            "I've blocked the handset's IMEI as well, so it can't be used on any network.",
        ],
        human: &[
            "I've blacklisted the handset's IMEI and ordered a new SIM with your number; it ships today.",
            "Your line is blocked and the insurance claim is open (reference IC-{digits}).",
        ],
    },
    Topic {
        team: "orders",
        open: &[
            "am I eligible for an upgrade?",
            "I want the new Pixel, can I upgrade early?",
            "what upgrade deals do you have",
        ],
        answer: &[
            "You're eligible for an upgrade from {date}. There are offers on the latest phones from $29/month.",
            "You can upgrade now with an early upgrade fee of {amount}, or free from {date}.",
        ],
        follow: &[
            "what's the fee exactly?",
            "do I keep my number?",
            "can I trade in my old phone?",
        ],
        answer2: &[
            "The early upgrade fee is the remaining device balance, {amount} in your case.",
            "Yes, you keep your number and your plan.",
            "Yes! Trade-ins are valued in the app in about two minutes.",
        ],
        human: &[
            "I've waived the early upgrade fee for you since you've been with us 6 years. The order is placed.",
            "I've reserved the phone in our {city} store for 48 hours with your trade-in quote.",
        ],
    },
    Topic {
        team: "technical support",
        open: &[
            "no signal since this morning in {city}",
            "Is there an outage? calls keep dropping",
            "internet on my phone is super slow today",
        ],
        answer: &[
            "There's a known network issue around {city}. Engineers are working on it and expect to fix it by 6 pm.",
            "I don't see any outage near you. Please try turning airplane mode on and off.",
        ],
        follow: &[
            "any compensation for this?",
            "tried that, still nothing",
            "how long will it take?",
        ],
        answer2: &[
            "If the outage lasts more than 24 hours, a credit is added automatically.",
            "I've logged a network fault with reference NF-{digits}; our engineers will check the mast near you.",
            "Engineers estimate about 4 hours. I'll text you when it's fixed.",
        ],
        human: &[
            "I've checked the mast: it's been repaired. I've added a {amount} credit for the inconvenience.",
            "There's a fault on a mast near you; I've given you a free 10 GB boost while it's fixed.",
        ],
    },
    Topic {
        team: "technical support",
        open: &[
            "I can't log in to my account",
            "password reset email never arrives",
            "the app says my account is locked",
        ],
        answer: &[
            "I've sent a new password reset link to the email on file. It's valid for 30 minutes.",
            "Your account was locked after 5 failed attempts. It unlocks automatically in 15 minutes.",
        ],
        follow: &[
            "still no email",
            "I don't have access to that email anymore",
            "can you unlock it now?",
        ],
        answer2: &[
            "Please check your spam folder. You can also reset with a code by SMS from the login page.",
            "To change the email on file we need to verify your identity with the last 4 digits of your payment card.",
            "I can't unlock it from here, but it unlocks automatically after 15 minutes.",
        ],
        human: &[
            "I've verified your ID and updated the email on your account; the reset link is on its way.",
            "I've unlocked the account manually. Try logging in again now.",
        ],
    },
    Topic {
        team: "retention",
        open: &[
            "I want to cancel my contract",
            "How do I cancel? I'm moving abroad",
            "please cancel my broadband, I've found a cheaper deal",
        ],
        answer: &[
            "I'm sorry to see you go. Your contract ends on {date}; cancelling before then costs {amount}.",
            "You can cancel with 30 days' notice. Would you like to hear about our loyalty offers first?",
        ],
        follow: &[
            "just cancel it",
            "what offers?",
            "is there no way to avoid the fee?",
        ],
        answer2: &[
            "I've noted your request. You'll receive a confirmation email with the final bill date.",
            "We can offer 20% off for the next 12 months if you stay.",
            "The fee only applies before {date}. If you're moving abroad, proof of address waives it.",
        ],
        human: &[
            "I've processed the cancellation for {date} and waived the early exit fee because you're moving abroad.",
            "Cancellation confirmed; your PAC code is PAC{digits}, valid for 30 days.",
        ],
    },
    Topic {
        team: "roaming",
        open: &[
            "My travel agent said roaming in Spain is included, is that right?",
            "going to Italy next week, will my phone work?",
            "How much are calls to the US from abroad?",
        ],
        answer: &[
            "Roaming in the EU is included in your plan at no extra cost, up to 15 GB of data.",
            "Calls to the US from the EU cost $0.90 per minute. You can add a World Pass for $5 a day.",
        ],
        follow: &[
            "do I need to switch anything on?",
            "what about Switzerland?",
            "and Turkey?",
        ],
        answer2: &[
            "Roaming is already on for your line, nothing to do.",
            "Switzerland isn't in the EU zone; it's charged at $6 per MB unless you add a World Pass.",
            "Turkey is in World zone 2: $10 a day with a World Pass.",
        ],
        human: &[
            "I've added a World Pass for your trip dates and checked that roaming is enabled.",
            "I've set a $50 roaming spend cap so you won't get any surprises.",
        ],
    },
    Topic {
        team: "technical support",
        open: &[
            "I need my PUK code",
            "my SIM is blocked, it asks for a PUK",
            "forgot my PIN and now it wants PUK",
        ],
        answer: &[
            "Your PUK code is {digits}{digits}. Enter it carefully, the SIM locks permanently after 10 wrong tries.",
            "I've sent your PUK code by email to the address on your account.",
        ],
        follow: &[
            "where do I enter it?",
            "it says wrong PUK",
            "do I need a new SIM now?",
        ],
        answer2: &[
            "Your phone shows a PUK prompt; enter the code, then choose a new PIN.",
            "Please double-check the digits; after 10 wrong tries the SIM locks permanently.",
            "Only if it's permanently locked. In that case we'll send a free replacement.",
        ],
        human: &[
            "I've checked the code on our side and sent a replacement SIM, free of charge.",
            "The PUK on file was for an old SIM; here's the right one: {digits}{digits}.",
        ],
    },
    Topic {
        team: "billing",
        open: &[
            "I got a message about bot protection when logging in, is that you?",
            "can I transfer $20 of credit to my son's prepaid line?",
            "My estate agent needs a proof of address, can I download a bill?",
            "I don't want a human, just tell me my balance",
        ],
        answer: &[
            "Yes, that's our login security check. It appears after several quick login attempts.",
            "Yes, go to Top-up > Send credit in the app and enter his number.",
            "You can download any bill as a PDF under Billing > Invoices.",
            "Your balance is {amount}, due on {date}.",
        ],
        follow: &[
            "can I switch it off?",
            "is there a limit?",
            "can I download older ones too?",
            "and when is it due?",
        ],
        answer2: &[
            "It can't be switched off, but it only appears after several failed attempts.",
            "Yes, up to $50 per month.",
            "Yes, the last 24 months are available.",
            "It's due on {date}; autopay is on.",
        ],
        human: &[
            "I've emailed you the last three bills as PDFs.",
            "All done, the credit has been sent.",
        ],
    },
];

static ES_TOPICS: &[Topic] = &[
    Topic {
        team: "facturación",
        open: &[
            "Hola, ¿por qué mi factura es {amount} más alta este mes?",
            "mi factura viene más cara de lo normal",
        ],
        answer: &[
            "Veo un cargo único de itinerancia de {amount} del {date}. Por eso la factura es más alta.",
        ],
        follow: &["¿me lo pueden devolver?", "yo no usé roaming"],
        answer2: &[
            "He abierto una revisión del cargo; recibirá respuesta por correo en 3 días hábiles.",
        ],
        human: &["He revisado su caso y le he devuelto {amount}; lo verá en la próxima factura."],
    },
    Topic {
        team: "pedidos",
        open: &[
            "¿Dónde está mi pedido {order}?",
            "mi móvil nuevo no ha llegado",
        ],
        answer: &["El pedido {order} salió del almacén el {date} y hoy está en reparto."],
        follow: &[
            "no había nadie en casa",
            "el enlace de seguimiento no funciona",
        ],
        answer2: &[
            "El mensajero lo intentará de nuevo mañana.",
            "Le he reenviado el enlace por SMS.",
        ],
        human: &["He hablado con la empresa de mensajería: la entrega será mañana por la mañana."],
    },
    Topic {
        team: "soporte técnico",
        open: &[
            "no tengo cobertura desde esta mañana",
            "¿hay una avería? se me cortan las llamadas",
        ],
        answer: &[
            "Hay una incidencia conocida en su zona. Esperamos resolverla antes de las 18:00.",
        ],
        follow: &["¿habrá alguna compensación?", "sigue sin funcionar"],
        answer2: &[
            "Si la avería dura más de 24 horas se aplica un abono automático.",
            "He registrado una incidencia con referencia NF-{digits}.",
        ],
        human: &["La antena ya está reparada y le he aplicado un abono de {amount}."],
    },
];

static DE_TOPICS: &[Topic] = &[
    Topic {
        team: "Rechnungen",
        open: &[
            "Hallo, warum ist meine Rechnung diesen Monat {amount} höher?",
            "meine Rechnung ist viel zu hoch",
        ],
        answer: &[
            "Ich sehe eine einmalige Roaming-Gebühr von {amount} vom {date}. Deshalb ist die Rechnung höher.",
        ],
        follow: &[
            "Kann ich das erstattet bekommen?",
            "Ich war gar nicht im Ausland",
        ],
        answer2: &[
            "Ich habe eine Prüfung der Gebühr angelegt; Sie erhalten innerhalb von 3 Werktagen eine Antwort per E-Mail.",
        ],
        human: &["Ich habe mir das angesehen und Ihnen {amount} gutgeschrieben."],
    },
    Topic {
        team: "Technik",
        open: &[
            "Meine eSIM lässt sich nicht aktivieren",
            "Wie übertrage ich meine eSIM auf ein neues Handy?",
        ],
        answer: &[
            "Bitte starten Sie Ihr Telefon neu und prüfen Sie, ob mobile Daten für die Leitung aktiviert sind.",
        ],
        follow: &[
            "Geht immer noch nicht",
            "Es steht 'Aktivierung fehlgeschlagen'",
        ],
        answer2: &["Ich habe Ihnen ein neues eSIM-Profil per E-Mail geschickt."],
        human: &[
            "Ich habe das eSIM-Profil bei uns zurückgesetzt, in 5 Minuten sollten Sie Netz haben.",
        ],
    },
    Topic {
        team: "Kundenbindung",
        open: &[
            "Ich möchte meinen Vertrag kündigen",
            "Wie kann ich kündigen? Ich ziehe ins Ausland",
        ],
        answer: &["Schade, dass Sie gehen möchten. Ihr Vertrag endet am {date}."],
        follow: &[
            "Bitte einfach kündigen",
            "Gibt es keine Möglichkeit ohne Gebühr?",
        ],
        answer2: &[
            "Ich habe Ihre Kündigung vorgemerkt. Sie erhalten eine Bestätigung per E-Mail.",
            "Bei einem Umzug ins Ausland entfällt die Gebühr, wenn Sie einen Nachweis schicken.",
        ],
        human: &[
            "Die Kündigung zum {date} ist bestätigt, die Gebühr habe ich wegen Ihres Umzugs erlassen.",
        ],
    },
];

static FR_TOPICS: &[Topic] = &[
    Topic {
        team: "facturation",
        open: &[
            "Bonjour, pourquoi ma facture est-elle plus élevée de {amount} ce mois-ci ?",
            "ma facture est trop chère",
        ],
        answer: &[
            "Je vois des frais d'itinérance ponctuels de {amount} du {date}. C'est pour cela que la facture est plus élevée.",
        ],
        follow: &[
            "Est-ce que je peux être remboursé ?",
            "je n'ai pas utilisé l'itinérance",
        ],
        answer2: &[
            "J'ai ouvert une vérification ; vous aurez une réponse par e-mail sous 3 jours ouvrés.",
        ],
        human: &["J'ai vérifié votre dossier et je vous ai remboursé {amount}."],
    },
    Topic {
        team: "commandes",
        open: &[
            "Où est ma commande {order} ?",
            "mon nouveau téléphone n'est pas arrivé",
        ],
        answer: &[
            "La commande {order} est partie de l'entrepôt le {date} et sera livrée aujourd'hui.",
        ],
        follow: &[
            "il n'y avait personne à la maison",
            "le lien de suivi ne marche pas",
        ],
        answer2: &[
            "Le transporteur repassera demain.",
            "Je vous ai renvoyé le lien par SMS.",
        ],
        human: &["J'ai contacté le transporteur : la livraison est prévue demain matin."],
    },
];

static EN: Lex = Lex {
    code: "en",
    greet_disc: &[
        "Hi, I'm {bot}, {brand}'s virtual assistant. How can I help you today?",
        "Hello! You're chatting with {bot}, an AI assistant for {brand}. What can I do for you?",
        "Hi there 👋 I'm {brand}'s automated assistant. Ask me anything about your account, bill or order.",
        "Welcome to {brand}! I'm {bot}, a chatbot here to help. What brings you here today?",
        "Hey! This is {bot}, the {brand} digital assistant (I'm an AI). How can I help?",
        "Good to see you. I'm an AI-powered assistant for {brand}; I can help with billing, plans, orders and tech support.",
        "Hi! I'm a virtual agent for {brand}. Tell me what you need and I'll do my best to help.",
    ],
    greet_disc_offer: &[
        "Hi, I'm {bot}, {brand}'s virtual assistant. I can help with bills, plans and orders, or type \"agent\" at any time to talk to a person.",
        "Hello! I'm an AI assistant for {brand}. Ask me anything, and if you'd rather speak to a human, just say so.",
        "Welcome to {brand} 👋 I'm {bot}, an automated assistant. You can ask for a human agent whenever you like.",
        "Hi! You're chatting with {brand}'s AI assistant. If I can't help, I can connect you with a live agent.",
    ],
    greet_plain: &[
        "Hi, thanks for contacting {brand}! How can I help you today?",
        "Hello and welcome to {brand} support. What can I do for you?",
        "Hi there! I'm {bot}. What can I help you with?",
        "Hey! Happy to help. What's going on?",
        "Welcome to {brand}. Please tell me briefly what your question is about.",
        "Hi, {bot} here from {brand}. How can I help?",
    ],
    late_disc: &[
        "Just so you know, I'm an automated assistant.",
        "(Quick note: I'm {brand}'s virtual assistant, not a human.)",
        "By the way, I'm an AI assistant, so I may not get everything right.",
        "As {brand}'s chatbot, here's what I found:",
    ],
    offer: &[
        "If you'd prefer to talk to a person, just type \"agent\" at any time.",
        "You can ask for a human agent whenever you like.",
        "Want to speak with someone from our team instead? Reply \"human\" and I'll connect you.",
        "If I can't solve it, I can connect you with a live agent.",
        "Tap \"Talk to a person\" below if you'd rather chat with a human.",
    ],
    banner: &[
        "You are chatting with an AI assistant. Messages may be reviewed to improve our service.",
        "{bot} is an automated virtual assistant.",
        "This conversation is handled by an AI-powered assistant.",
    ],
    voice_banner: &[
        "Welcome to {brand}. This call is answered by an automated virtual assistant and may be recorded.",
        "Thank you for calling {brand}. You are speaking with our AI voice assistant.",
    ],
    button: &[
        "Talk to a person",
        "Chat with an agent",
        "Speak to a human",
        "Request a call back from an advisor",
    ],
    ask: &[
        "Can I talk to a human please?",
        "I want to speak to a real person",
        "agent",
        "Is there a person I can talk to?",
        "Please connect me to a representative",
        "can I speak to someone, a human?",
        "human please",
        "Transfer me to an agent",
        "I'd rather talk to a live agent about this",
        "Operator!",
    ],
    ask_again: &[
        "I asked for a human. Please get me a real person.",
        "AGENT. AGENT. AGENT.",
        "You're not helping. I want a human agent now.",
        "Again: I need to speak with a person, not a bot.",
        "representative please, this is the second time I'm asking",
    ],
    deflect: &[
        "I understand. Before that, let me try to help: could you describe the problem in a bit more detail?",
        "I'm sorry, that's not possible at the moment. I can still help you right here though!",
        "I'd love to help you with that myself. What exactly is the issue?",
        "Our team is very busy today. Most questions like yours can be solved here. What do you need?",
    ],
    transfer: &[
        "Sure, I'm connecting you with an agent now. Please stay in the chat.",
        "Of course. Transferring you to a member of our support team; the current wait is about {wait} minutes.",
        "No problem, I'll hand this over to a human colleague. One moment please.",
        "Let me get a specialist for you. Transferring now.",
    ],
    ai_transfer: &[
        "This needs a specialist, so I'm transferring you to our {team} team.",
        "I can't change that myself. I'm passing you to a colleague from {team} who can.",
        "Let me bring in someone from our {team} team for this one.",
    ],
    handoff: &[
        "Transferring to the next available agent",
        "Conversation routed to queue: {team}",
        "Chat transferred to a human agent",
    ],
    no_agents: &[
        "Sorry, no agents are available right now. Our team is online Mon to Fri, 8am to 8pm. Is there anything else I can help with?",
        "Unfortunately the queue is closed at the moment. Please try again later or continue with me.",
        "It looks like everyone is busy. I'm still here: how else can I help?",
    ],
    human_greet: &[
        "Hi, this is {agent} from {brand}. I've read the conversation, let me take a look.",
        "Hello, {agent} here. Thanks for waiting! How can I help?",
        "Hi! My name is {agent}, I'll be helping you today.",
        "Hi, {agent} from the {team} team. Sorry for the wait.",
    ],
    human_close: &[
        "You're all set. Anything else?",
        "Done on my side. Have a lovely day!",
        "I've added a note to your account. Take care!",
    ],
    id_q: &[
        "Am I talking to a bot?",
        "are you a real person?",
        "Is this an actual human or a robot?",
        "wait are you AI?",
        "Are you a person or a computer?",
        "r u a bot",
    ],
    id_yes: &[
        "Yes, I'm a virtual assistant. I'll do my best to help!",
        "I'm an AI, not a human.",
        "Good question! I'm {brand}'s automated assistant.",
        "I'm a chatbot, so I answer instantly.",
    ],
    id_evasive: &[
        "I'm here to help you with anything about your account! What would you like to do next?",
        "Ha, good question! Let's get your issue sorted. Could you confirm your postcode?",
        "I'm {bot}, your {brand} helper. Now, about your request...",
        "What matters is that we fix this for you. Could you tell me more?",
    ],
    id_deny: &[
        "No, I'm a real person, don't worry!",
        "I'm a human, I promise! Now, about your bill...",
        "Haha no, I'm not a bot. How can I help?",
        "Yes, you're talking to a real person.",
    ],
    deny_unprompted: &[
        "Speaking as a real human here, I get how frustrating this is.",
        "Don't worry, I'm not a bot, I'll sort this out.",
    ],
    thanks: &[
        "thanks!",
        "ok thank you",
        "great, that's all",
        "perfect 👍",
        "cool",
        "Thanks for your help",
        "that helps, bye",
    ],
    unhappy: &[
        "useless",
        "forget it, I'll call instead",
        "this is ridiculous",
        "never mind",
        "unbelievable.",
    ],
    ai_close: &[
        "You're welcome! Anything else I can help with?",
        "Glad I could help. Have a great day!",
        "Happy to help. Take care!",
    ],
    notice: &[
        "This chat may be recorded for quality and training purposes.",
        "Please don't share card numbers in chat.",
        "Chat started from the {brand} app.",
    ],
    offline: &[
        "Our advisors are offline. Leave a message and we'll get back to you by email.",
        "The customer left the chat.",
    ],
    nudge: &["hello?", "anyone there?", "I've been waiting 20 minutes"],
    rated: &[
        "Customer rated the conversation {n}/5",
        "Survey completed: {n} stars",
    ],
    email_hi: &["Hi,\n\n", "Hello,\n\n", "Dear {brand} team,\n\n", ""],
    email_bye: &[
        "\n\nThanks,\nSam",
        "\n\nRegards,\nJ. Patel",
        "\n\nBest,\nAlex",
        "",
    ],
    topics: EN_TOPICS,
};

static ES: Lex = Lex {
    code: "es",
    greet_disc: &[
        "Hola, soy {bot}, el asistente virtual de {brand}. ¿En qué puedo ayudarle?",
        "¡Hola! Está hablando con un asistente de IA de {brand}. ¿Qué necesita?",
    ],
    greet_disc_offer: &[
        "Hola, soy {bot}, el asistente virtual de {brand}. Si prefiere hablar con una persona, escriba \"agente\" en cualquier momento.",
    ],
    greet_plain: &[
        "¡Hola! Gracias por contactar con {brand}. ¿En qué puedo ayudarle?",
        "Hola, soy {bot}. ¿Qué puedo hacer por usted?",
    ],
    late_disc: &[
        "Le informo de que soy un asistente automático.",
        "(Soy el asistente virtual de {brand}, no una persona.)",
    ],
    offer: &[
        "Si lo prefiere, puedo pasarle con un agente humano.",
        "Puede pedir hablar con una persona en cualquier momento.",
    ],
    banner: &["Está conversando con un asistente de inteligencia artificial."],
    voice_banner: &["Bienvenido a {brand}. Le atiende un asistente virtual automático."],
    button: &["Hablar con una persona"],
    ask: &[
        "Quiero hablar con una persona",
        "¿Me puede pasar con un agente humano?",
        "agente por favor",
    ],
    ask_again: &[
        "Ya le he dicho que quiero hablar con una persona real.",
        "AGENTE. Por favor.",
    ],
    deflect: &[
        "Entiendo. Antes, déjeme intentar ayudarle: ¿puede describir el problema?",
        "Lo siento, ahora no es posible. Puedo ayudarle yo mismo.",
    ],
    transfer: &["Claro, le paso con un agente. Por favor, no cierre el chat."],
    ai_transfer: &["Esto lo tiene que ver un especialista; le transfiero al equipo de {team}."],
    handoff: &["Transferido al siguiente agente disponible"],
    no_agents: &["Lo siento, ahora mismo no hay agentes disponibles. ¿Puedo ayudarle en algo más?"],
    human_greet: &[
        "Hola, soy {agent} de {brand}. Ya he leído la conversación.",
        "Buenas, le atiende {agent}. ¿En qué puedo ayudarle?",
    ],
    human_close: &["Listo. ¿Algo más?", "Que tenga un buen día."],
    id_q: &["¿Eres un bot?", "¿Hablo con una persona real?"],
    id_yes: &[
        "Soy un asistente virtual, no una persona.",
        "Sí, soy un asistente de inteligencia artificial.",
    ],
    id_evasive: &["¡Estoy aquí para ayudarle! ¿Me confirma su código postal?"],
    id_deny: &["No, soy una persona real, no se preocupe."],
    deny_unprompted: &["Como persona real del equipo, entiendo su frustración."],
    thanks: &["gracias", "perfecto, gracias", "vale, muchas gracias"],
    unhappy: &["no sirve para nada", "déjelo, ya llamaré"],
    ai_close: &["¡De nada! ¿Algo más?", "Que tenga un buen día."],
    notice: &["Este chat puede ser grabado por motivos de calidad."],
    offline: &[
        "Nuestros agentes no están disponibles. Deje su mensaje y le responderemos por correo.",
    ],
    nudge: &["¿hola?", "¿hay alguien?"],
    rated: &["El cliente valoró la conversación con {n}/5"],
    email_hi: &["Hola:\n\n", ""],
    email_bye: &["\n\nUn saludo,\nLucía", ""],
    topics: ES_TOPICS,
};

static DE: Lex = Lex {
    code: "de",
    greet_disc: &[
        "Hallo, ich bin {bot}, der virtuelle Assistent von {brand}. Wie kann ich helfen?",
        "Guten Tag! Sie chatten mit einem KI-Assistenten von {brand}. Was kann ich für Sie tun?",
    ],
    greet_disc_offer: &[
        "Hallo, ich bin {bot}, der digitale Assistent von {brand}. Wenn Sie lieber mit einem Menschen sprechen möchten, schreiben Sie einfach \"Mitarbeiter\".",
    ],
    greet_plain: &[
        "Hallo und willkommen bei {brand}! Wie kann ich Ihnen helfen?",
        "Hallo, hier ist {bot}. Worum geht es?",
    ],
    late_disc: &[
        "Zur Info: Ich bin ein automatischer Assistent.",
        "(Hinweis: Ich bin der virtuelle Assistent von {brand}, kein Mensch.)",
    ],
    offer: &[
        "Wenn Sie möchten, verbinde ich Sie mit einem Mitarbeiter.",
        "Sie können jederzeit einen menschlichen Berater verlangen.",
    ],
    banner: &["Sie chatten mit einem KI-Assistenten."],
    voice_banner: &[
        "Willkommen bei {brand}. Sie sprechen mit unserem automatischen Sprachassistenten.",
    ],
    button: &["Mit einem Mitarbeiter sprechen"],
    ask: &[
        "Ich möchte mit einem Menschen sprechen",
        "Bitte verbinden Sie mich mit einem Mitarbeiter",
        "Mitarbeiter bitte",
    ],
    ask_again: &[
        "Ich habe schon gesagt, ich will einen echten Menschen!",
        "MITARBEITER. Bitte.",
    ],
    deflect: &[
        "Ich verstehe. Lassen Sie mich zuerst versuchen zu helfen: Was genau ist das Problem?",
        "Das ist gerade leider nicht möglich. Ich helfe Ihnen gern hier weiter.",
    ],
    transfer: &["Gern, ich verbinde Sie mit einem Kollegen. Bitte bleiben Sie im Chat."],
    ai_transfer: &["Das muss ein Spezialist prüfen, ich leite Sie an das Team {team} weiter."],
    handoff: &["An den nächsten verfügbaren Mitarbeiter übergeben"],
    no_agents: &["Leider ist gerade kein Mitarbeiter verfügbar. Kann ich sonst noch helfen?"],
    human_greet: &[
        "Hallo, hier ist {agent} von {brand}. Ich habe den Verlauf gelesen.",
        "Guten Tag, {agent} hier. Danke fürs Warten!",
    ],
    human_close: &["Erledigt. Noch etwas?", "Einen schönen Tag noch!"],
    id_q: &["Bist du ein Bot?", "Spreche ich mit einem echten Menschen?"],
    id_yes: &[
        "Ich bin ein virtueller Assistent, kein Mensch.",
        "Ja, ich bin eine KI.",
    ],
    id_evasive: &["Ich bin hier, um Ihnen zu helfen! Können Sie mir Ihre Postleitzahl nennen?"],
    id_deny: &["Nein, ich bin ein echter Mensch."],
    deny_unprompted: &["Als echter Mensch im Team verstehe ich Ihren Ärger."],
    thanks: &["danke", "super, danke", "alles klar, danke schön"],
    unhappy: &["nutzlos", "vergessen Sie es, ich rufe an"],
    ai_close: &["Gern geschehen! Noch etwas?", "Einen schönen Tag!"],
    notice: &["Dieser Chat kann zu Qualitätszwecken gespeichert werden."],
    offline: &["Unsere Mitarbeiter sind nicht erreichbar. Hinterlassen Sie eine Nachricht."],
    nudge: &["hallo?", "ist da jemand?"],
    rated: &["Kunde hat das Gespräch mit {n}/5 bewertet"],
    email_hi: &["Hallo,\n\n", ""],
    email_bye: &["\n\nViele Grüße\nK. Weber", ""],
    topics: DE_TOPICS,
};

static FR: Lex = Lex {
    code: "fr",
    greet_disc: &[
        "Bonjour, je suis {bot}, l'assistant virtuel de {brand}. Comment puis-je vous aider ?",
        "Bonjour ! Vous discutez avec un assistant IA de {brand}. Que puis-je faire pour vous ?",
    ],
    greet_disc_offer: &[
        "Bonjour, je suis {bot}, l'assistant virtuel de {brand}. Tapez \"conseiller\" à tout moment pour parler à une personne.",
    ],
    greet_plain: &[
        "Bonjour et bienvenue chez {brand} ! Comment puis-je vous aider ?",
        "Bonjour, ici {bot}. Que puis-je faire pour vous ?",
    ],
    late_disc: &[
        "Pour information, je suis un assistant automatique.",
        "(Je suis l'assistant virtuel de {brand}, pas un humain.)",
    ],
    offer: &[
        "Si vous préférez, je peux vous mettre en relation avec un conseiller.",
        "Vous pouvez demander à parler à un humain à tout moment.",
    ],
    banner: &["Vous discutez avec un assistant d'intelligence artificielle."],
    voice_banner: &[
        "Bienvenue chez {brand}. Vous êtes en ligne avec notre assistant vocal automatique.",
    ],
    button: &["Parler à un conseiller"],
    ask: &[
        "Je veux parler à un humain",
        "Pouvez-vous me passer un conseiller ?",
        "un conseiller svp",
    ],
    ask_again: &[
        "Je vous ai demandé un vrai conseiller !",
        "CONSEILLER. S'il vous plaît.",
    ],
    deflect: &[
        "Je comprends. Laissez-moi d'abord essayer : pouvez-vous décrire le problème ?",
        "Désolé, ce n'est pas possible pour le moment. Je peux vous aider ici.",
    ],
    transfer: &["Bien sûr, je vous transfère à un conseiller. Merci de patienter."],
    ai_transfer: &["Un spécialiste doit s'en occuper, je vous transfère à l'équipe {team}."],
    handoff: &["Transféré au prochain conseiller disponible"],
    no_agents: &[
        "Désolé, aucun conseiller n'est disponible pour le moment. Puis-je vous aider autrement ?",
    ],
    human_greet: &[
        "Bonjour, {agent} de {brand}. J'ai lu la conversation.",
        "Bonjour, ici {agent}. Merci d'avoir patienté !",
    ],
    human_close: &["C'est fait. Autre chose ?", "Bonne journée !"],
    id_q: &["Vous êtes un robot ?", "Je parle à une vraie personne ?"],
    id_yes: &[
        "Je suis un assistant virtuel, pas un humain.",
        "Oui, je suis une IA.",
    ],
    id_evasive: &["Je suis là pour vous aider ! Pouvez-vous me donner votre code postal ?"],
    id_deny: &["Non, je suis une vraie personne."],
    deny_unprompted: &["En tant que vraie personne de l'équipe, je comprends votre frustration."],
    thanks: &["merci", "parfait, merci", "d'accord, merci beaucoup"],
    unhappy: &["inutile", "laissez tomber, je vais appeler"],
    ai_close: &["Avec plaisir ! Autre chose ?", "Bonne journée !"],
    notice: &["Cette conversation peut être enregistrée à des fins de qualité."],
    offline: &["Nos conseillers sont indisponibles. Laissez un message."],
    nudge: &["allô ?", "il y a quelqu'un ?"],
    rated: &["Le client a noté la conversation {n}/5"],
    email_hi: &["Bonjour,\n\n", ""],
    email_bye: &["\n\nCordialement,\nM. Dubois", ""],
    topics: FR_TOPICS,
};

// ------------------------------------------------------------------------------------------ model

#[derive(Clone, Copy, PartialEq)]
enum Role {
    Customer,
    Ai,
    Human,
    System,
}

struct Msg {
    ts: i64,
    role: Role,
    text: String,
    event: Option<&'static str>,
    csat: Option<u8>,
}

struct Conv {
    id: String,
    channel: &'static str,
    lang: &'static str,
    csat: Option<u8>,
    msgs: Vec<Msg>,
    role_names: [&'static str; 4],
}

const RULES: [&str; 7] = [
    "DISCLOSURE_MISSING",
    "DISCLOSURE_LATE",
    "HUMAN_OPTION_MISSING",
    "HUMAN_REQUEST_UNMET",
    "HUMAN_REQUEST_REPEATED",
    "IDENTITY_QUESTION_UNANSWERED",
    "AI_IDENTITY_DENIED",
];
const PATHS: [&str; 4] = ["ai_only", "escalated", "human_only", "no_agent"];

#[derive(Default)]
struct Stats {
    convs: u64,
    msgs: u64,
    paths: [u64; 4],
    rules: [u64; 7],
    failed_handoffs: u64,
    with_csat: u64,
}

struct Ctx<'a> {
    rng: &'a mut Rng,
    lex: &'static Lex,
    bot: &'static str,
    agent: &'static str,
    team: &'static str,

    channel: &'static str,
    t: i64,
    msgs: Vec<Msg>,
}

impl Ctx<'_> {
    fn fill(&mut self, tpl: &str) -> String {
        let mut out = String::with_capacity(tpl.len() + 16);
        let mut rest = tpl;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let Some(j) = rest[i..].find('}') else { break };
            let key = &rest[i + 1..i + j];
            match key {
                "brand" => out.push_str(BRAND),
                "bot" => out.push_str(self.bot),
                "agent" => out.push_str(self.agent),
                "team" => out.push_str(self.team),
                "city" => out.push_str(self.rng.pick(CITIES)),
                "amount" => {
                    let a = self.rng.range(5, 89);
                    let c = [0, 50, 99, 25, 0][self.rng.below(5)];
                    if self.lex.code == "en" {
                        out.push_str(&format!("${a}.{c:02}"));
                    } else {
                        out.push_str(&format!("{a},{c:02} €"));
                    }
                }
                "gb" => out.push_str(&format!("{:.1}", self.rng.f() * 12.0)),
                "date" => {
                    let mi = self.rng.below(4);
                    let d = self.rng.range(1, 28);
                    match self.lex.code {
                        "en" => out.push_str(&format!(
                            "{} {d}",
                            ["January", "February", "March", "April"][mi]
                        )),
                        "de" => out.push_str(&format!("{d}.{:02}.2026", mi + 1)),
                        _ => out.push_str(&format!("{d:02}/{:02}/2026", mi + 1)),
                    }
                }
                "order" => out.push_str(&format!("NW-{}", self.rng.range(10000, 99999))),
                "digits" => out.push_str(&format!("{:04}", self.rng.range(0, 9999))),
                "wait" => out.push_str(&format!("{}", self.rng.range(2, 15))),
                "n" => out.push('3'),
                _ => {
                    out.push('{');
                    out.push_str(key);
                    out.push('}');
                }
            }
            rest = &rest[i + j + 1..];
        }
        out.push_str(rest);
        out
    }

    /// Seconds until the next message from `role`.
    fn step(&mut self, role: Role) -> i64 {
        let (lo, hi) = match (self.channel, role) {
            ("voice", _) => (2.0, 25.0),
            ("chat", Role::Customer) => (6.0, 120.0),
            ("chat", _) => (2.0, 40.0),
            ("messaging", Role::Customer) => (20.0, 2400.0),
            ("messaging", _) => (2.0, 90.0),
            ("social", Role::Customer) => (60.0, 7200.0),
            ("social", _) => (5.0, 1800.0),
            ("email", Role::Customer) => (1800.0, 86400.0),
            ("email", Role::Ai) => (10.0, 300.0),
            ("email", _) => (1200.0, 40000.0),
            _ => (5.0, 60.0),
        };
        self.rng.gap(lo, hi)
    }

    fn push(&mut self, role: Role, text: String, event: Option<&'static str>) {
        if !self.msgs.is_empty() {
            let s = match role {
                Role::System => self.rng.range(1, 4),
                _ => self.step(role),
            };
            self.t += s.max(1);
        }
        let text = if self.channel == "email" && matches!(role, Role::Customer) && text.len() > 12 {
            let hi = self.rng.pick(self.lex.email_hi);
            let bye = self.rng.pick(self.lex.email_bye);
            let hi = self.fill(hi);
            format!("{hi}{text}{bye}")
        } else if self.channel == "email" && matches!(role, Role::Human) && self.rng.chance(0.7) {
            format!(
                "{text}\n\nKind regards,\n{} | {BRAND} Customer Care",
                self.agent
            )
        } else {
            text
        };
        self.msgs.push(Msg {
            ts: self.t,
            role,
            text,
            event,
            csat: None,
        });
    }
    fn say(&mut self, role: Role, pool: &'static [&'static str]) {
        let tpl = self.rng.pick(pool);
        let text = self.fill(tpl);
        self.push(role, text, None);
    }
    fn say1(&mut self, role: Role, tpl: &str) {
        let text = self.fill(tpl);
        self.push(role, text, None);
    }
    fn event(&mut self, pool: &'static [&'static str], event: &'static str) {
        let tpl = self.rng.pick(pool);
        let text = self.fill(tpl);
        self.push(Role::System, text, Some(event));
    }
    /// Queue wait before a human agent joins.
    fn wait_for_human(&mut self) {
        let w = match self.channel {
            "email" => self.rng.gap(3600.0, 60000.0),
            "messaging" | "social" => self.rng.gap(60.0, 5400.0),
            _ => self.rng.gap(20.0, 900.0),
        };
        self.t += w;
    }
}

#[derive(PartialEq, Clone, Copy)]
enum Disc {
    First,
    Banner,
    Late,
    Missing,
}
#[derive(PartialEq, Clone, Copy)]
enum Offer {
    Greeting,
    Later,
    Button,
    None,
}

fn pick_lang(rng: &mut Rng, lang: &str) -> &'static Lex {
    match lang {
        "en" => &EN,
        "es" => &ES,
        "de" => &DE,
        "fr" => &FR,
        _ => {
            let x = rng.f();
            if x < 0.85 {
                &EN
            } else if x < 0.91 {
                &ES
            } else if x < 0.96 {
                &DE
            } else {
                &FR
            }
        }
    }
}

const CHANNELS: [(&str, f64); 5] = [
    ("chat", 0.40),
    ("messaging", 0.22),
    ("email", 0.13),
    ("voice", 0.15),
    ("social", 0.10),
];

fn pick_channel(rng: &mut Rng) -> &'static str {
    let mut x = rng.f();
    for (c, w) in CHANNELS {
        if x < w {
            return c;
        }
        x -= w;
    }
    "chat"
}

fn csat_score(rng: &mut Rng, mean: f64) -> u8 {
    let v = mean + (rng.f() + rng.f() + rng.f() - 1.5) * 1.6;
    v.round().clamp(1.0, 5.0) as u8
}

/// Builds one conversation, returns it and records intended path/findings in `st`.
fn make_conv(rng: &mut Rng, id: String, start: i64, opt: &Opts, st: &mut Stats) -> Conv {
    let lex = pick_lang(rng, &opt.lang);
    let channel = match &opt.channel {
        Some(c) => c.as_str(),
        None => pick_channel(rng),
    };
    let channel: &'static str = match channel {
        "chat" => "chat",
        "messaging" => "messaging",
        "email" => "email",
        "voice" => "voice",
        "social" => "social",
        _ => "chat",
    };
    let topic = &lex.topics[rng.below(lex.topics.len())];
    let oi = rng.below(topic.open.len());
    let fi = rng.below(topic.follow.len());
    let aligned = |pool: &'static [&'static str], i: usize, len: usize, r: usize| -> &'static str {
        if pool.len() == len {
            pool[i]
        } else {
            pool[r % pool.len()]
        }
    };
    let r1 = rng.below(1000);
    let r2 = rng.below(1000);
    let open_t = topic.open[oi];
    let answer_t = aligned(topic.answer, oi, topic.open.len(), r1);
    let follow_t = topic.follow[fi];
    let answer2_t = aligned(topic.answer2, fi, topic.follow.len(), r2);
    let mut c = Ctx {
        bot: BOTS[rng.below(BOTS.len())],
        agent: AGENTS[rng.below(AGENTS.len())],
        team: if lex.code != "en" || rng.chance(0.85) {
            topic.team
        } else {
            TEAMS[rng.below(TEAMS.len())]
        },
        lex,

        channel,
        t: start,
        msgs: Vec::with_capacity(16),
        rng,
    };
    let x = c.rng.f();
    let path = if x < 0.55 {
        0
    } else if x < 0.80 {
        1
    } else if x < 0.92 {
        2
    } else {
        3
    };
    let mut found = [false; 7];
    let mut failed = false;
    let mut mood: f64;

    match path {
        2 => {
            // human only
            if c.rng.chance(0.3) {
                c.say(Role::System, lex.notice);
            }
            c.say1(Role::Customer, open_t);
            c.wait_for_human();
            c.say(Role::Human, lex.human_greet);
            c.say1(Role::Human, answer_t);
            if c.rng.chance(0.6) {
                c.say1(Role::Customer, follow_t);
                c.say(Role::Human, topic.human);
            }
            c.say(Role::Customer, lex.thanks);
            if c.rng.chance(0.5) {
                c.say(Role::Human, lex.human_close);
            }
            mood = 4.2;
        }
        3 => {
            // no agent answered
            c.say1(Role::Customer, open_t);
            if c.rng.chance(0.6) {
                c.say(Role::Customer, lex.nudge);
            }
            if c.rng.chance(0.7) {
                c.say(Role::System, lex.offline);
            }
            mood = 1.8;
        }
        _ => {
            let escalated = path == 1;
            let voice = channel == "voice";
            let d = c.rng.f();
            let mut disc = if d < 0.66 {
                Disc::First
            } else if d < 0.78 {
                Disc::Banner
            } else if d < 0.88 {
                Disc::Late
            } else {
                Disc::Missing
            };
            if voice && disc == Disc::First && c.rng.chance(0.5) {
                disc = Disc::Banner;
            }
            let o = c.rng.f();
            let offer = if o < 0.35 {
                Offer::Greeting
            } else if o < 0.55 {
                Offer::Later
            } else if o < 0.72 {
                Offer::Button
            } else {
                Offer::None
            };
            // identity question: 0 none, 1 answered, 2 evasive, 3 denied
            let idq = if c.rng.chance(0.09) {
                let y = c.rng.f();
                if y < 0.6 {
                    1
                } else if y < 0.85 {
                    2
                } else {
                    3
                }
            } else {
                0
            };
            let deny_unprompted =
                matches!(disc, Disc::Banner | Disc::Missing) && c.rng.chance(0.02);
            // times the customer asks for a human
            let asks = if escalated {
                let y = c.rng.f();
                if y < 0.35 {
                    0
                } else if y < 0.82 {
                    1
                } else if y < 0.95 {
                    2
                } else {
                    3
                }
            } else if c.rng.chance(0.16) {
                1 + (c.rng.chance(0.3) as usize)
            } else {
                0
            };

            // banners
            if c.rng.chance(0.15) {
                c.say(Role::System, lex.notice);
            }
            if disc == Disc::Banner {
                let pool = if voice { lex.voice_banner } else { lex.banner };
                c.event(pool, "disclosure");
            }
            if offer == Offer::Button {
                c.event(lex.button, "human_option");
            }
            let customer_first = match channel {
                "email" => true,
                "voice" => false,
                _ => c.rng.chance(0.45),
            };
            if customer_first {
                c.say1(Role::Customer, open_t);
            }
            // identity question before any AI message (sometimes)
            let early_idq = idq > 0
                && customer_first
                && disc != Disc::First
                && offer != Offer::Greeting
                && c.rng.chance(0.4);
            let mut disclosed = matches!(disc, Disc::Banner);
            let mut ai_count = 0;
            // greeting
            let greet = match (disc, offer) {
                (Disc::First, Offer::Greeting) => lex.greet_disc_offer,
                (Disc::First, _) => lex.greet_disc,
                _ => lex.greet_plain,
            };
            let mut greet_text = {
                let tpl = c.rng.pick(greet);
                c.fill(tpl)
            };
            if disc != Disc::First && offer == Offer::Greeting {
                let tpl = c.rng.pick(lex.offer);
                greet_text = format!("{greet_text} {}", c.fill(tpl));
            }
            let handle_idq = |c: &mut Ctx<'_>,
                              disclosed: &mut bool,
                              ai_count: &mut usize,
                              found: &mut [bool; 7]| {
                c.say(Role::Customer, lex.id_q);
                match idq {
                    1 => {
                        c.say(Role::Ai, lex.id_yes);
                        if !*disclosed && *ai_count > 0 {
                            found[1] = true;
                        }
                        *disclosed = true;
                    }
                    2 => {
                        c.say(Role::Ai, lex.id_evasive);
                        found[5] = true;
                    }
                    _ => {
                        c.say(Role::Ai, lex.id_deny);
                        found[5] = true;
                        found[6] = true;
                    }
                }
                *ai_count += 1;
            };
            if early_idq {
                // the greeting is replaced by the answer to the question
                handle_idq(&mut c, &mut disclosed, &mut ai_count, &mut found);
                if idq == 1 {
                    // answered at once: a first-message disclosure
                    found[1] = false;
                }
            } else {
                c.push(Role::Ai, greet_text, None);
                ai_count += 1;
                if disc == Disc::First {
                    disclosed = true;
                }
            }
            if !customer_first {
                c.say1(Role::Customer, open_t);
            }
            // answer, with a late disclosure if planned
            let mut answer = { c.fill(answer_t) };
            if disc == Disc::Late && !disclosed {
                let tpl = c.rng.pick(lex.late_disc);
                answer = format!("{} {answer}", c.fill(tpl));
                found[1] = true;
                disclosed = true;
            }
            let follow_up = escalated || c.rng.chance(0.55);
            if offer == Offer::Later && !follow_up {
                let tpl = c.rng.pick(lex.offer);
                answer = format!("{answer} {}", c.fill(tpl));
            }
            if deny_unprompted {
                let tpl = c.rng.pick(lex.deny_unprompted);
                answer = format!("{} {answer}", c.fill(tpl));
                found[6] = true;
            }
            c.push(Role::Ai, answer, None);
            ai_count += 1;
            if idq > 0 && !early_idq {
                handle_idq(&mut c, &mut disclosed, &mut ai_count, &mut found);
            }
            if follow_up {
                c.say1(Role::Customer, follow_t);
                let mut a2 = { c.fill(answer2_t) };
                if offer == Offer::Later {
                    let tpl = c.rng.pick(lex.offer);
                    a2 = format!("{a2} {}", c.fill(tpl));
                }
                c.push(Role::Ai, a2, None);
            }
            if !disclosed {
                found[0] = true;
            }

            if escalated {
                for k in 0..asks {
                    c.say(Role::Customer, if k == 0 { lex.ask } else { lex.ask_again });
                    if k + 1 < asks {
                        c.say(Role::Ai, lex.deflect);
                    }
                }
                if asks >= 2 {
                    found[4] = true;
                    mood = 2.6;
                } else {
                    mood = 4.0;
                }
                if asks > 0 {
                    c.say(Role::Ai, lex.transfer);
                } else {
                    c.say(Role::Ai, lex.ai_transfer);
                }
                let with_event = c.rng.chance(0.9);
                if with_event {
                    c.event(lex.handoff, "handoff");
                }
                if with_event && c.rng.chance(0.06) {
                    // log ends at the handoff (the human part lives in another system)
                } else {
                    c.wait_for_human();
                    c.say(Role::Human, lex.human_greet);
                    c.say(Role::Human, topic.human);
                    c.say(Role::Customer, lex.thanks);
                    if c.rng.chance(0.5) {
                        c.say(Role::Human, lex.human_close);
                    }
                }
            } else {
                if asks > 0 {
                    found[3] = true;
                    mood = 1.9;
                    c.say(Role::Customer, lex.ask);
                    if offer != Offer::None && c.rng.chance(0.45) {
                        // failed handoff: transfer announced, then the bot is back
                        c.say(Role::Ai, lex.transfer);
                        c.event(lex.handoff, "handoff");
                        c.t += c.rng.gap(30.0, 600.0);
                        c.say(Role::Ai, lex.no_agents);
                        failed = true;
                    } else {
                        c.say(Role::Ai, lex.deflect);
                        if asks > 1 {
                            c.say(Role::Customer, lex.ask_again);
                            c.say(Role::Ai, lex.deflect);
                        }
                    }
                    c.say(Role::Customer, lex.unhappy);
                } else {
                    c.say(Role::Customer, lex.thanks);
                    if c.rng.chance(0.5) {
                        c.say(Role::Ai, lex.ai_close);
                    }
                    mood = 3.7;
                }
                if offer == Offer::None {
                    found[2] = true;
                }
            }
            if found[0] || found[5] {
                mood -= 0.4;
            }
        }
    }

    // CSAT on ~40% of conversations, fewer for AI-only
    let p = match path {
        0 => 0.34,
        1 => 0.50,
        2 => 0.50,
        _ => 0.12,
    };
    let mut csat = None;
    if c.rng.chance(p) {
        let s = csat_score(c.rng, mood);
        csat = Some(s);
        if c.rng.chance(0.7) {
            let tpl = c.rng.pick(lex.rated);
            let text = c
                .fill(tpl)
                .replace("3/5", &format!("{s}/5"))
                .replace("3 stars", &format!("{s} stars"));
            c.t += c.rng.range(20, 600);
            c.msgs.push(Msg {
                ts: c.t,
                role: Role::System,
                text,
                event: Some("csat"),
                csat: Some(s),
            });
        } else if let Some(m) = c.msgs.iter_mut().rev().find(|m| m.role == Role::Customer) {
            m.csat = Some(s);
        } else {
            c.msgs.last_mut().unwrap().csat = Some(s);
        }
    }

    st.convs += 1;
    st.msgs += c.msgs.len() as u64;
    st.paths[path] += 1;
    for (i, f) in found.iter().enumerate() {
        st.rules[i] += *f as u64;
    }
    st.failed_handoffs += failed as u64;
    st.with_csat += csat.is_some() as u64;

    let role_names = if opt.mixed_roles {
        let rng = &mut *c.rng;
        [
            ["customer", "user", "client", "consumer"][rng.below(4)],
            ["ai", "bot", "assistant", "chatbot", "virtual_agent"][rng.below(5)],
            ["human_agent", "agent", "rep", "operator", "representative"][rng.below(5)],
            "system",
        ]
    } else {
        ["customer", "ai", "human_agent", "system"]
    };
    Conv {
        id,
        channel,
        lang: lex.code,
        csat,
        msgs: c.msgs,
        role_names,
    }
}

// ------------------------------------------------------------------------------------------ time

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn fmt_ts(out: &mut Vec<u8>, t: i64) {
    let days = t.div_euclid(86400);
    let s = t.rem_euclid(86400);
    let (y, m, d) = civil_from_days(days);
    let _ = write!(
        out,
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        (s / 60) % 60,
        s % 60
    );
}

/// Start times: 12 weeks from Monday 2026-01-05, weighted toward weekday business hours.
struct Arrivals {
    base: i64,
    cdf: Vec<f64>,
}

impl Arrivals {
    fn new() -> Self {
        let base = days_from_civil(2026, 1, 5) * 86400;
        let mut cdf = Vec::with_capacity(84 * 24);
        let mut acc = 0.0;
        for day in 0..84 {
            let weekend = day % 7 >= 5;
            for h in 0..24 {
                let w = match h {
                    8..=19 => 10.0,
                    7 | 20 | 21 => 5.0,
                    22 | 23 | 6 => 2.0,
                    _ => 0.7,
                } * if weekend { 0.55 } else { 1.0 };
                acc += w;
                cdf.push(acc);
            }
        }
        for v in &mut cdf {
            *v /= acc;
        }
        Arrivals { base, cdf }
    }
    /// Time for quantile u in [0, 1); monotonic in u.
    fn at(&self, u: f64) -> i64 {
        let i = self
            .cdf
            .partition_point(|&c| c <= u)
            .min(self.cdf.len() - 1);
        let lo = if i == 0 { 0.0 } else { self.cdf[i - 1] };
        let frac = ((u - lo) / (self.cdf[i] - lo)).clamp(0.0, 0.999_999);
        self.base + i as i64 * 3600 + (frac * 3600.0) as i64
    }
}

// ------------------------------------------------------------------------------------------ output

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Jsonl,
    Json,
    Csv,
    Tsv,
}

struct Opts {
    n: u64,
    format: Format,
    seed: u64,
    interleave: bool,
    out_of_place: f64,
    out: String,
    id_prefix: String,
    start_id: u64,
    channel: Option<String>,
    synonyms: bool,
    mixed_roles: bool,
    lang: String,
}

fn json_str(buf: &mut Vec<u8>, s: &str) {
    serde_json::to_writer(&mut *buf, s).expect("string serialization");
}

fn csv_field(buf: &mut Vec<u8>, s: &str, delim: u8) {
    let needs = s
        .bytes()
        .any(|b| b == delim || b == b'"' || b == b'\n' || b == b'\r');
    if needs {
        buf.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                buf.push(b'"');
            }
            buf.push(b);
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(s.as_bytes());
    }
}

fn id_json(buf: &mut Vec<u8>, id: &str) {
    json_str(buf, id);
}

/// One message line in a message-level format.
fn message_line(buf: &mut Vec<u8>, conv: &Conv, m: &Msg, fmt: Format) {
    let role = conv.role_names[m.role as usize];
    match fmt {
        Format::Jsonl => {
            buf.extend_from_slice(b"{\"conversation_id\":");
            id_json(buf, &conv.id);
            buf.extend_from_slice(b",\"timestamp\":\"");
            fmt_ts(buf, m.ts);
            buf.extend_from_slice(b"\",\"channel\":\"");
            buf.extend_from_slice(conv.channel.as_bytes());
            buf.extend_from_slice(b"\",\"role\":\"");
            buf.extend_from_slice(role.as_bytes());
            buf.extend_from_slice(b"\",\"text\":");
            json_str(buf, &m.text);
            if let Some(e) = m.event {
                buf.extend_from_slice(b",\"event\":\"");
                buf.extend_from_slice(e.as_bytes());
                buf.push(b'"');
            }
            if let Some(s) = m.csat {
                let _ = write!(buf, ",\"csat\":{s}");
            }
            if conv.lang != "en" {
                let _ = write!(buf, ",\"locale\":\"{}\"", conv.lang);
            }
            buf.extend_from_slice(b"}\n");
        }
        Format::Csv | Format::Tsv => {
            let d = if fmt == Format::Csv { b',' } else { b'\t' };
            csv_field(buf, &conv.id, d);
            buf.push(d);
            fmt_ts(buf, m.ts);
            buf.push(d);
            buf.extend_from_slice(conv.channel.as_bytes());
            buf.push(d);
            buf.extend_from_slice(role.as_bytes());
            buf.push(d);
            csv_field(buf, &m.text, d);
            buf.push(d);
            if let Some(e) = m.event {
                buf.extend_from_slice(e.as_bytes());
            }
            buf.push(d);
            if let Some(s) = m.csat {
                let _ = write!(buf, "{s}");
            }
            buf.push(b'\n');
        }
        Format::Json => unreachable!(),
    }
}

fn conversation_json(buf: &mut Vec<u8>, conv: &Conv) {
    buf.extend_from_slice(b"{\"id\":");
    id_json(buf, &conv.id);
    let _ = write!(
        buf,
        ",\"channel\":\"{}\",\"locale\":\"{}\"",
        conv.channel, conv.lang
    );
    if let Some(s) = conv.csat {
        let _ = write!(buf, ",\"csat\":{s}");
    }
    buf.extend_from_slice(b",\"messages\":[");
    let mut first = true;
    for m in conv.msgs.iter().filter(|m| m.event != Some("csat")) {
        if !first {
            buf.push(b',');
        }
        first = false;
        buf.extend_from_slice(b"\n  {\"role\":\"");
        buf.extend_from_slice(conv.role_names[m.role as usize].as_bytes());
        buf.extend_from_slice(b"\",\"text\":");
        json_str(buf, &m.text);
        buf.extend_from_slice(b",\"timestamp\":\"");
        fmt_ts(buf, m.ts);
        buf.push(b'"');
        if let Some(e) = m.event {
            let _ = write!(buf, ",\"event\":\"{e}\"");
        }
        buf.push(b'}');
    }
    buf.extend_from_slice(b"]}");
}

fn usage() -> ! {
    eprintln!(
        "usage: generate_logs [--conversations N] [--format jsonl|json|csv|tsv] [--seed S] [--interleave] [--out-of-place F] \
         [--out PATH|-] [--id-prefix P] [--start-id K] [--channel C] [--header canonical|synonyms] \
         [--roles canonical|mixed] [--lang en|es|de|fr|mix]"
    );
    std::process::exit(2);
}

fn parse_args() -> Opts {
    let mut o = Opts {
        n: 1000,
        format: Format::Jsonl,
        seed: 1,
        interleave: false,
        out_of_place: 0.0,
        out: "-".into(),
        id_prefix: "conv-".into(),
        start_id: 1,
        channel: None,
        synonyms: false,
        mixed_roles: false,
        lang: "mix".into(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--conversations" | "-n" => o.n = val().parse().unwrap_or_else(|_| usage()),
            "--seed" => o.seed = val().parse().unwrap_or_else(|_| usage()),
            "--format" => {
                o.format = match val().as_str() {
                    "jsonl" => Format::Jsonl,
                    "json" => Format::Json,
                    "csv" => Format::Csv,
                    "tsv" => Format::Tsv,
                    _ => usage(),
                }
            }
            "--interleave" => o.interleave = true,
            "--out-of-place" => o.out_of_place = val().parse().unwrap_or_else(|_| usage()),
            "--out" | "-o" => o.out = val(),
            "--id-prefix" => o.id_prefix = val(),
            "--start-id" => o.start_id = val().parse().unwrap_or_else(|_| usage()),
            "--channel" => o.channel = Some(val()),
            "--header" => o.synonyms = val() == "synonyms",
            "--roles" => o.mixed_roles = val() == "mixed",
            "--lang" => o.lang = val(),
            "--help" | "-h" => usage(),
            _ => usage(),
        }
    }
    o
}

fn main() -> io::Result<()> {
    let opt = parse_args();
    let started = Instant::now();
    let sink: Box<dyn Write> = if opt.out == "-" {
        Box::new(io::stdout().lock())
    } else {
        Box::new(File::create(&opt.out)?)
    };
    let mut w = BufWriter::with_capacity(1 << 20, sink);
    let mut rng = Rng(opt.seed ^ 0x5EED_CAFE_F00D_D00D);
    let arrivals = Arrivals::new();
    let mut st = Stats::default();
    let mut bytes: u64 = 0;
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 16);
    let width = ((opt.start_id + opt.n).max(10) as f64).log10().ceil() as usize;

    match opt.format {
        Format::Csv | Format::Tsv => {
            let h = if opt.synonyms {
                "ticket_id,created_at,channel,author_type,body,event,csat"
            } else {
                "conversation_id,timestamp,channel,role,text,event,csat"
            };
            let h = if opt.format == Format::Tsv {
                h.replace(',', "\t")
            } else {
                h.to_owned()
            };
            buf.extend_from_slice(h.as_bytes());
            buf.push(b'\n');
        }
        Format::Json => buf.extend_from_slice(b"{\"conversations\":[\n"),
        Format::Jsonl => {}
    }
    let interleave = opt.interleave && opt.format != Format::Json;
    if opt.interleave && !interleave {
        eprintln!("note: --interleave has no effect on --format json");
    }
    // pending lines for interleaving: (timestamp, sequence, line)
    let mut heap: BinaryHeap<Reverse<(i64, u64, Vec<u8>)>> = BinaryHeap::new();
    let mut seq: u64 = 0;
    let mut max_pending = 0usize;
    // lines written out of place: (line number to write after, sequence, line)
    let mut delayed: BinaryHeap<Reverse<(u64, u64, Vec<u8>)>> = BinaryHeap::new();
    let mut line_no: u64 = 0;
    let mut moved: u64 = 0;

    for i in 0..opt.n {
        let u = (i as f64 + rng.f()) / opt.n as f64;
        let start = arrivals.at(u);
        let id = format!("{}{:0width$}", opt.id_prefix, opt.start_id + i);
        let conv = make_conv(&mut rng, id, start, &opt, &mut st);
        if interleave {
            // every later conversation starts at or after `start`
            while let Some(Reverse((ts, _, _))) = heap.peek() {
                if *ts >= start {
                    break;
                }
                let Reverse((_, _, line)) = heap.pop().unwrap();
                buf.extend_from_slice(&line);
            }
            for m in &conv.msgs {
                let mut line = Vec::with_capacity(m.text.len() + 160);
                message_line(&mut line, &conv, m, opt.format);
                heap.push(Reverse((m.ts, seq, line)));
                seq += 1;
            }
            max_pending = max_pending.max(heap.len());
        } else if opt.format == Format::Json {
            if i > 0 {
                buf.extend_from_slice(b",\n");
            }
            conversation_json(&mut buf, &conv);
        } else {
            for m in &conv.msgs {
                line_no += 1;
                if opt.out_of_place > 0.0 && rng.chance(opt.out_of_place) {
                    let later = line_no + rng.gap(1.0, 2000.0) as u64;
                    let mut line = Vec::with_capacity(m.text.len() + 160);
                    message_line(&mut line, &conv, m, opt.format);
                    delayed.push(Reverse((later, line_no, line)));
                    moved += 1;
                } else {
                    message_line(&mut buf, &conv, m, opt.format);
                }
                while let Some(Reverse((at, _, _))) = delayed.peek() {
                    if *at > line_no {
                        break;
                    }
                    let Reverse((_, _, line)) = delayed.pop().unwrap();
                    buf.extend_from_slice(&line);
                }
            }
        }
        if buf.len() > 1 << 16 {
            w.write_all(&buf)?;
            bytes += buf.len() as u64;
            buf.clear();
        }
    }
    while let Some(Reverse((_, _, line))) = delayed.pop() {
        buf.extend_from_slice(&line);
    }
    while let Some(Reverse((_, _, line))) = heap.pop() {
        buf.extend_from_slice(&line);
        if buf.len() > 1 << 16 {
            w.write_all(&buf)?;
            bytes += buf.len() as u64;
            buf.clear();
        }
    }
    if opt.format == Format::Json {
        buf.extend_from_slice(b"\n]}\n");
    }
    w.write_all(&buf)?;
    bytes += buf.len() as u64;
    w.flush()?;

    let rules: Vec<String> = RULES
        .iter()
        .zip(st.rules)
        .map(|(r, n)| format!("{r}={n}"))
        .collect();
    let paths: Vec<String> = PATHS
        .iter()
        .zip(st.paths)
        .map(|(p, n)| format!("{p}={n}"))
        .collect();
    eprintln!(
        "generate_logs: {} conversations, {} messages, {} bytes in {:.2}s; paths {}; intended findings {}; failed_handoffs={}; csat={}{}",
        st.convs,
        st.msgs,
        bytes,
        started.elapsed().as_secs_f64(),
        paths.join(" "),
        rules.join(" "),
        st.failed_handoffs,
        st.with_csat,
        if interleave {
            format!("; max pending lines {max_pending}")
        } else if moved > 0 {
            format!("; {moved} lines out of place")
        } else {
            String::new()
        }
    );
    Ok(())
}
