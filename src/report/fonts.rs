//! The fonts Debrief draws with, embedded in the binary (DejaVu Sans in regular, bold and
//! oblique, and DejaVu Sans Mono for code; see `assets/fonts/LICENSE`), and text measurement
//! and line wrapping against their real glyph advances. Layouts are measured with the same
//! font the SVG, PNG and PDF outputs use, so a label that fits here fits on the page.

use std::sync::OnceLock;

/// DejaVu Sans, regular weight.
pub const REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans, bold.
pub const BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
/// DejaVu Sans, oblique: emphasis in PDF reports.
pub const ITALIC_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Oblique.ttf");
/// DejaVu Sans Mono: inline code and code blocks in PDF reports.
pub const MONO_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSansMono.ttf");
/// The family name to put in SVG `font-family` so renderers pick the measured font.
pub const FAMILY: &str = "DejaVu Sans";

/// A parsed font with the metrics layout needs.
pub struct Font {
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
}

/// Weight of a run of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// The regular weight of the embedded font.
    Regular,
    /// The bold weight of the embedded font.
    Bold,
}

/// One of the four embedded faces, for text that mixes styles (PDF reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    /// DejaVu Sans.
    Regular,
    /// DejaVu Sans Bold.
    Bold,
    /// DejaVu Sans Oblique.
    Italic,
    /// DejaVu Sans Mono.
    Mono,
}

impl Face {
    /// Every face, in the order reports register them.
    pub const ALL: [Face; 4] = [Face::Regular, Face::Bold, Face::Italic, Face::Mono];

    /// The font file of the face.
    pub fn ttf(self) -> &'static [u8] {
        match self {
            Face::Regular => REGULAR_TTF,
            Face::Bold => BOLD_TTF,
            Face::Italic => ITALIC_TTF,
            Face::Mono => MONO_TTF,
        }
    }

    /// The font's PostScript name, as PDF readers list it.
    pub fn postscript_name(self) -> &'static str {
        match self {
            Face::Regular => "DejaVuSans",
            Face::Bold => "DejaVuSans-Bold",
            Face::Italic => "DejaVuSans-Oblique",
            Face::Mono => "DejaVuSansMono",
        }
    }

    /// The parsed font of the face.
    pub fn font(self) -> &'static Font {
        static FONTS: [OnceLock<Font>; 4] = [OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new()];
        FONTS[self as usize].get_or_init(|| Font::parse(self.ttf()))
    }
}

impl Font {
    fn parse(data: &'static [u8]) -> Font {
        // The data is compiled in and known good; failing here is a broken build.
        let face = ttf_parser::Face::parse(data, 0).expect("embedded font parses");
        let units_per_em = f32::from(face.units_per_em());
        Font { face, units_per_em }
    }

    /// The font of `weight`.
    pub fn get(weight: Weight) -> &'static Font {
        match weight {
            Weight::Regular => Face::Regular.font(),
            Weight::Bold => Face::Bold.font(),
        }
    }

    /// The glyph drawn for `c`, if the font has one.
    pub fn glyph_id(&self, c: char) -> Option<u16> {
        self.face.glyph_index(c).map(|g| g.0).filter(|&g| g != 0)
    }

    /// Whether the font has a glyph for `c` (a missing one would draw as an empty box).
    pub fn has_glyph(&self, c: char) -> bool {
        self.face.glyph_index(c).is_some_and(|g| g.0 != 0)
    }

    /// Advance width of `text` at `size` points, without kerning (renderers are told not to
    /// kern, so this is what they draw).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text.chars().map(|c| self.advance_units(c)).sum();
        units * size / self.units_per_em
    }

    fn advance_units(&self, c: char) -> f32 {
        let glyph = self.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
        self.face.glyph_hor_advance(glyph).map(f32::from).unwrap_or(self.units_per_em * 0.6)
    }

    /// Distance from the top of a line box to the baseline at `size`.
    pub fn ascent(&self, size: f32) -> f32 {
        f32::from(self.face.ascender()) * size / self.units_per_em
    }

    /// Height of one line at `size`, including the gap between lines.
    pub fn line_height(&self, size: f32) -> f32 {
        let units =
            f32::from(self.face.ascender()) - f32::from(self.face.descender()) + f32::from(self.face.line_gap());
        units * size / self.units_per_em
    }

    /// Breaks `text` into lines no wider than `max_width` at `size`: between words where it
    /// can, inside a word only when the word alone is too wide. At most `max_lines` lines are
    /// returned; when text is cut, the last line ends with an ellipsis and `truncated` is set.
    pub fn wrap(&self, text: &str, size: f32, max_width: f32, max_lines: usize) -> Wrapped {
        let mut lines: Vec<String> = Vec::new();
        let mut current = String::new();
        for word in text.split_whitespace() {
            let candidate = if current.is_empty() { word.to_string() } else { format!("{current} {word}") };
            if self.width(&candidate, size) <= max_width {
                current = candidate;
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            // The word alone may still be too wide: split it by characters.
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if self.width(&piece, size) > max_width && piece.chars().count() > 1 {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            current = piece;
        }
        if !current.is_empty() {
            lines.push(current);
        }
        let max_lines = max_lines.max(1);
        let truncated = lines.len() > max_lines;
        if truncated {
            lines.truncate(max_lines);
            let last = lines.last_mut().expect("at least one line");
            while !last.is_empty() && self.width(&format!("{last}…"), size) > max_width {
                last.pop();
            }
            let trimmed = last.trim_end().to_string();
            *last = format!("{trimmed}…");
        }
        let width = lines.iter().map(|l| self.width(l, size)).fold(0.0, f32::max);
        Wrapped { lines, width, truncated }
    }
}

/// Text broken into lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Wrapped {
    /// The lines, without their line breaks.
    pub lines: Vec<String>,
    /// Width of the widest line.
    pub width: f32,
    /// Some of the text did not fit and was cut with an ellipsis.
    pub truncated: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wider_text_measures_wider_and_bold_is_wider_still() {
        let font = Font::get(Weight::Regular);
        let narrow = font.width("iii", 12.0);
        let wide = font.width("WWW", 12.0);
        assert!(wide > narrow * 2.0, "{wide} vs {narrow}");
        assert!(Font::get(Weight::Bold).width("Timing", 12.0) > font.width("Timing", 12.0));
        assert!((font.width("ab", 24.0) - 2.0 * font.width("ab", 12.0)).abs() < 0.01);
    }

    #[test]
    fn wrapping_keeps_every_line_within_the_width() {
        let font = Font::get(Weight::Regular);
        let text = "Connection pool limit lowered from 200 to 20 in a config change reviewed as a typo fix";
        let wrapped = font.wrap(text, 11.0, 120.0, 10);
        assert!(wrapped.lines.len() > 2);
        assert!(!wrapped.truncated);
        for line in &wrapped.lines {
            assert!(font.width(line, 11.0) <= 120.0, "{line}");
        }
        assert_eq!(wrapped.lines.join(" "), text);
    }

    #[test]
    fn a_long_word_is_split_and_overflow_ends_in_an_ellipsis() {
        let font = Font::get(Weight::Regular);
        let wrapped = font.wrap("supercalifragilisticexpialidocious-configuration-key", 11.0, 60.0, 2);
        assert_eq!(wrapped.lines.len(), 2);
        assert!(wrapped.truncated);
        assert!(wrapped.lines[1].ends_with('…'));
        assert!(wrapped.width <= 60.0);
    }
}
