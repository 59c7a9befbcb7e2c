//! Colours and spacing of the app: the only place with colour literals. Light and dark palettes.

use egui::{Color32, Visuals};
use serde::{Deserialize, Serialize};

use crate::export::ReviewStatus;
use crate::model::Role;
use crate::rules::Severity;

/// The colour scheme the user chose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Theme {
    /// Dark text on a light background.
    #[default]
    Light,
    /// Light text on a dark background.
    Dark,
}

impl Theme {
    /// Both themes.
    pub const ALL: [Self; 2] = [Self::Light, Self::Dark];

    /// The name shown in the View menu.
    pub fn label(self) -> &'static str {
        match self {
            Self::Light => "Light theme",
            Self::Dark => "Dark theme",
        }
    }

    /// Parses a theme name (`light`, `dark`), for `CANDOR_THEME`.
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "light" => Some(Self::Light),
            "dark" => Some(Self::Dark),
            _ => None,
        }
    }

    /// The colours of this theme.
    pub fn palette(self) -> Palette {
        match self {
            Self::Light => LIGHT,
            Self::Dark => DARK,
        }
    }

    /// Applies the theme to the whole app.
    pub fn apply(self, ctx: &egui::Context) {
        let palette = self.palette();
        let (egui_theme, mut visuals) = match self {
            Self::Light => (egui::Theme::Light, Visuals::light()),
            Self::Dark => (egui::Theme::Dark, Visuals::dark()),
        };
        visuals.panel_fill = palette.panel;
        visuals.window_fill = palette.card;
        visuals.extreme_bg_color = palette.field;
        visuals.faint_bg_color = palette.stripe;
        visuals.selection.bg_fill = palette.selection;
        visuals.selection.stroke.color = palette.strong;
        visuals.hyperlink_color = palette.accent;
        visuals.widgets.noninteractive.fg_stroke.color = palette.text;
        ctx.set_theme(egui_theme);
        ctx.style_mut_of(egui_theme, |style| {
            style.visuals = visuals;
            style.spacing.item_spacing = egui::vec2(8.0, 6.0);
            style.spacing.button_padding = egui::vec2(8.0, 4.0);
            style.spacing.interact_size.y = 22.0;
            // egui's small text is 9 px, too small to read comfortably for times, badges and notes.
            if let Some(small) = style.text_styles.get_mut(&egui::TextStyle::Small) {
                small.size = 11.0;
            }
        });
    }
}

/// Every colour the app paints with.
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    /// Background of panels.
    pub panel: Color32,
    /// Background of cards and windows.
    pub card: Color32,
    /// Border of cards.
    pub card_border: Color32,
    /// Background of text fields.
    pub field: Color32,
    /// Alternate table rows.
    pub stripe: Color32,
    /// Selected rows and text.
    pub selection: Color32,
    /// Links and the main action.
    pub accent: Color32,
    /// Secondary text.
    pub muted: Color32,
    /// Strong text (KPI numbers).
    pub strong: Color32,
    /// Good outcomes.
    pub good: Color32,
    /// Warnings.
    pub warning: Color32,
    /// Errors.
    pub error: Color32,
    /// Background of highlighted evidence.
    pub evidence: Color32,
    /// Background of a "something is missing here" marker.
    pub missing: Color32,
    /// Severity colours, least serious first.
    pub severity: [Color32; 4],
    /// Role badge fills: customer, AI, human agent, system.
    pub role: [Color32; 4],
    /// Message bubble fills: customer, AI, human agent, system.
    pub bubble: [Color32; 4],
    /// Series colours for charts.
    pub series: [Color32; 4],
    /// Body text.
    pub text: Color32,
    /// Text on coloured badges and on the accent-filled button. Light text on dark fills in the light
    /// theme, dark text on bright fills in the dark theme; every pair keeps a contrast of at least 4.5:1.
    pub badge_text: Color32,
    /// The veil over the window while files are dragged over it.
    pub drop_veil: Color32,
}

impl Palette {
    /// The colour of a severity.
    pub fn severity(&self, severity: Severity) -> Color32 {
        let index = Severity::ALL
            .iter()
            .position(|&s| s == severity)
            .unwrap_or(0);
        self.severity.get(index).copied().unwrap_or(self.muted)
    }

    fn role_index(role: Role) -> usize {
        match role {
            Role::Customer => 0,
            Role::Ai => 1,
            Role::HumanAgent => 2,
            Role::System => 3,
        }
    }

    /// The badge colour of a role.
    pub fn role(&self, role: Role) -> Color32 {
        self.role
            .get(Self::role_index(role))
            .copied()
            .unwrap_or(self.muted)
    }

    /// The bubble colour of a role's messages.
    pub fn bubble(&self, role: Role) -> Color32 {
        self.bubble
            .get(Self::role_index(role))
            .copied()
            .unwrap_or(self.card)
    }

    /// The colour of a review decision.
    pub fn review(&self, status: ReviewStatus) -> Color32 {
        match status {
            ReviewStatus::Open => self.muted,
            ReviewStatus::Confirmed => self.error,
            ReviewStatus::Dismissed => self.good,
        }
    }

    /// A chart series colour, cycling.
    pub fn series(&self, index: usize) -> Color32 {
        self.series
            .get(index % self.series.len())
            .copied()
            .unwrap_or(self.accent)
    }
}

const LIGHT: Palette = Palette {
    panel: Color32::from_rgb(246, 247, 249),
    card: Color32::from_rgb(255, 255, 255),
    card_border: Color32::from_rgb(221, 225, 231),
    field: Color32::from_rgb(255, 255, 255),
    stripe: Color32::from_rgb(240, 242, 246),
    selection: Color32::from_rgb(196, 218, 250),
    accent: Color32::from_rgb(37, 99, 235),
    muted: Color32::from_rgb(100, 108, 120),
    strong: Color32::from_rgb(17, 24, 39),
    good: Color32::from_rgb(22, 128, 61),
    warning: Color32::from_rgb(160, 95, 0),
    error: Color32::from_rgb(190, 30, 45),
    evidence: Color32::from_rgb(255, 227, 130),
    missing: Color32::from_rgb(253, 232, 232),
    severity: [
        Color32::from_rgb(100, 116, 139),
        Color32::from_rgb(170, 95, 0),
        Color32::from_rgb(200, 55, 30),
        Color32::from_rgb(160, 20, 60),
    ],
    role: [
        Color32::from_rgb(71, 85, 105),
        Color32::from_rgb(109, 40, 217),
        Color32::from_rgb(4, 120, 87),
        Color32::from_rgb(105, 105, 105),
    ],
    bubble: [
        Color32::from_rgb(241, 245, 249),
        Color32::from_rgb(243, 238, 255),
        Color32::from_rgb(232, 247, 240),
        Color32::from_rgb(248, 248, 248),
    ],
    series: [
        Color32::from_rgb(37, 99, 235),
        Color32::from_rgb(234, 88, 12),
        Color32::from_rgb(22, 163, 74),
        Color32::from_rgb(147, 51, 234),
    ],
    text: Color32::from_rgb(55, 60, 70),
    badge_text: Color32::WHITE,
    drop_veil: Color32::from_rgba_unmultiplied_const(246, 247, 249, 225),
};

const DARK: Palette = Palette {
    panel: Color32::from_rgb(24, 26, 30),
    card: Color32::from_rgb(33, 36, 42),
    card_border: Color32::from_rgb(55, 60, 70),
    field: Color32::from_rgb(18, 20, 24),
    stripe: Color32::from_rgb(30, 33, 38),
    selection: Color32::from_rgb(40, 70, 120),
    accent: Color32::from_rgb(96, 150, 250),
    muted: Color32::from_rgb(150, 158, 170),
    strong: Color32::from_rgb(236, 239, 244),
    good: Color32::from_rgb(74, 200, 120),
    warning: Color32::from_rgb(240, 170, 60),
    error: Color32::from_rgb(248, 100, 100),
    evidence: Color32::from_rgb(120, 95, 20),
    missing: Color32::from_rgb(80, 30, 34),
    // Bright enough to read as text on the dark panels, and under the dark badge text.
    severity: [
        Color32::from_rgb(150, 162, 180),
        Color32::from_rgb(232, 160, 48),
        Color32::from_rgb(242, 110, 80),
        Color32::from_rgb(244, 104, 150),
    ],
    role: [
        Color32::from_rgb(150, 165, 185),
        Color32::from_rgb(178, 146, 250),
        Color32::from_rgb(80, 200, 150),
        Color32::from_rgb(170, 170, 170),
    ],
    bubble: [
        Color32::from_rgb(38, 42, 50),
        Color32::from_rgb(45, 38, 64),
        Color32::from_rgb(30, 50, 44),
        Color32::from_rgb(36, 36, 36),
    ],
    series: [
        Color32::from_rgb(96, 150, 250),
        Color32::from_rgb(250, 140, 60),
        Color32::from_rgb(74, 200, 120),
        Color32::from_rgb(190, 120, 250),
    ],
    text: Color32::from_rgb(218, 222, 228),
    badge_text: Color32::from_rgb(20, 22, 26),
    drop_veil: Color32::from_rgba_unmultiplied_const(24, 26, 30, 225),
};
