//! Code enums name their variants once: strum derives the names (`as_str`, `FromStr`) with the
//! same case rule as the serde renames, and the `ALL` arrays come from strum's variant list.
//! The tests of each enum check, through [`assert_serde_and_strum_agree`], that serde and strum
//! still spell every variant the same way.
//! [`words`] spells a code for a reader (`in_review` → "In review").

/// A stored code in words: `in_review` → "In review", `wont_do` → "Won't do".
pub fn words(code: &str) -> String {
    if code == "wont_do" {
        return "Won't do".to_string();
    }
    let spaced = code.replace('_', " ");
    let mut chars = spaced.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

/// `variants` (an enum's `strum::VariantArray::VARIANTS`) as an array, for the `ALL`
/// constants. Evaluated at compile time: a wrong `N` does not compile.
pub(crate) const fn array<T: Copy, const N: usize>(variants: &[T]) -> [T; N] {
    assert!(variants.len() == N, "N must be the number of variants");
    let mut out = [variants[0]; N];
    let mut i = 1;
    while i < N {
        out[i] = variants[i];
        i += 1;
    }
    out
}

/// Asserts, for every variant of `T`, that serde writes strum's name and reads it back, and
/// that strum's `FromStr` reads it back too.
#[cfg(test)]
pub(crate) fn assert_serde_and_strum_agree<T>()
where
    T: strum::VariantArray
        + Copy
        + PartialEq
        + std::fmt::Debug
        + serde::Serialize
        + serde::de::DeserializeOwned
        + std::str::FromStr
        + Into<&'static str>,
    <T as std::str::FromStr>::Err: std::fmt::Debug,
{
    assert!(!T::VARIANTS.is_empty());
    for &v in T::VARIANTS {
        let name: &'static str = v.into();
        assert_eq!(
            serde_json::to_value(v).unwrap(),
            serde_json::Value::from(name),
            "serde writes {v:?} as strum names it"
        );
        assert_eq!(serde_json::from_value::<T>(serde_json::Value::from(name)).unwrap(), v, "serde reads {name:?}");
        assert_eq!(name.parse::<T>().unwrap(), v, "strum reads {name:?}");
    }
}
