//! `[hook]`: settings of `preflight hook` (`log = "PATH"`: the JSON-lines audit trail).

use super::{ConfigError, Ctx};
use toml::de::DeValue;

/// The `log` path of a `[hook]` table, as written.
pub(super) fn log_path(
    cx: &Ctx,
    v: &toml::Spanned<DeValue>,
) -> Result<Option<String>, ConfigError> {
    let DeValue::Table(t) = v.get_ref() else {
        return Err(cx.err(v.span(), "`hook` must be a table: [hook]", None));
    };
    let mut out = None;
    for (k, hv) in t.iter() {
        if &**k.get_ref() != "log" {
            return Err(cx.err(
                k.span(),
                "unknown key in [hook]",
                Some("expected `log`".into()),
            ));
        }
        let s = cx.string("log", hv)?;
        if s.is_empty() {
            return Err(cx.err(hv.span(), "`log` must name a file", None));
        }
        out = Some(s);
    }
    Ok(out)
}
