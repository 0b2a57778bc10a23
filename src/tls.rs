//! Database connections with TLS (rustls with the ring provider: no system OpenSSL). The URL's
//! `sslmode` (disable, prefer — the default —, require, verify-ca, verify-full) and
//! `sslrootcert` are read here, as libpq reads them, and taken out before tokio-postgres
//! parses the rest (it knows neither verify mode nor `sslrootcert`).

use postgres::config::SslMode;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl Mode {
    fn parse(s: &str) -> Option<Mode> {
        Some(match s {
            "disable" => Mode::Disable,
            "allow" | "prefer" => Mode::Prefer,
            "require" => Mode::Require,
            "verify-ca" => Mode::VerifyCa,
            "verify-full" => Mode::VerifyFull,
            _ => return None,
        })
    }
}

/// The URL without `sslmode`/`sslrootcert`, and their values.
pub fn split_params(url: &str) -> (String, Option<String>, Option<String>) {
    let (mut mode, mut root) = (None, None);
    let mut take = |k: &str, v: &str| match k {
        "sslmode" => {
            mode = Some(v.to_string());
            true
        }
        "sslrootcert" => {
            root = Some(v.to_string());
            true
        }
        _ => false,
    };
    let trimmed = url.trim();
    let lower = trimmed.to_ascii_lowercase();
    if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        let Some(q) = trimmed.find('?') else {
            return (trimmed.to_string(), None, None);
        };
        let (base, query) = (&trimmed[..q], &trimmed[q + 1..]);
        let kept: Vec<&str> = query
            .split('&')
            .filter(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                !take(k, &percent_decode(v))
            })
            .collect();
        let out = if kept.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        return (out, mode, root);
    }
    // key=value form (values without spaces, or single-quoted)
    let mut kept = Vec::new();
    let mut rest = trimmed;
    while !rest.is_empty() {
        rest = rest.trim_start();
        let Some(eq) = rest.find('=') else {
            kept.push(rest.to_string());
            break;
        };
        let key = rest[..eq].trim().to_string();
        let after = rest[eq + 1..].trim_start();
        let (value, raw_len) = if let Some(q) = after.strip_prefix('\'') {
            let end = q.find('\'').map_or(q.len(), |e| e + 1);
            (q[..end.saturating_sub(1).min(q.len())].to_string(), end + 1)
        } else {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            (after[..end].to_string(), end)
        };
        let raw = &after[..raw_len.min(after.len())];
        if !take(&key, &value) {
            kept.push(format!("{key}={raw}"));
        }
        rest = &after[raw_len.min(after.len())..];
    }
    (kept.join(" "), mode, root)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The verifier for the modes that do not check the host name: without a root certificate
/// (sslmode prefer/require, as libpq) any certificate is accepted; with one (verify-ca, and
/// require with a root certificate) the chain must lead to it. Signatures are checked either
/// way, with the provider's algorithms (what `WebPkiServerVerifier` checks them with).
#[derive(Debug)]
struct Lenient {
    chain: Option<Arc<WebPkiServerVerifier>>,
    algs: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Lenient {
    fn verify_server_cert(
        &self,
        end: &CertificateDer<'_>,
        inter: &[CertificateDer<'_>],
        name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        match chain.verify_server_cert(end, inter, name, ocsp, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            r => r,
        }
    }
    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(m, c, d, &self.algs)
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(m, c, d, &self.algs)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algs.supported_schemes()
    }
}

fn roots(root: Option<&str>, mode: Mode) -> Result<Option<RootCertStore>, String> {
    use rustls::pki_types::pem::PemObject;
    let path = match root {
        Some("system") => {
            return Err(
                "sslrootcert=system is not supported; name the CA certificate file \
                        (sslrootcert=/path/to/ca.pem)"
                    .to_string(),
            );
        }
        Some(p) => PathBuf::from(p),
        None => {
            let home = std::env::var_os("HOME").map(PathBuf::from);
            match home
                .map(|h| h.join(".postgresql/root.crt"))
                .filter(|p| p.is_file())
            {
                Some(p) => p,
                None if matches!(mode, Mode::VerifyCa | Mode::VerifyFull) => {
                    return Err(format!(
                        "sslmode={} needs the server's CA certificate: add \
                         sslrootcert=/path/to/ca.pem to the URL (or put it in \
                         ~/.postgresql/root.crt)",
                        if mode == Mode::VerifyCa {
                            "verify-ca"
                        } else {
                            "verify-full"
                        }
                    ));
                }
                None => return Ok(None),
            }
        }
    };
    let mut store = RootCertStore::empty();
    let certs = CertificateDer::pem_file_iter(&path)
        .map_err(|e| format!("cannot read sslrootcert {}: {e}", path.display()))?;
    for c in certs {
        let c = c.map_err(|e| format!("sslrootcert {}: {e}", path.display()))?;
        store
            .add(c)
            .map_err(|e| format!("sslrootcert {}: {e}", path.display()))?;
    }
    if store.is_empty() {
        return Err(format!(
            "sslrootcert {}: no certificate in it",
            path.display()
        ));
    }
    Ok(Some(store))
}

/// Connect with the URL's TLS settings. `app` is the `application_name`.
pub fn connect(
    url: &str,
    timeout: std::time::Duration,
    app: &str,
) -> Result<postgres::Client, String> {
    let (rest, mode_s, root) = split_params(url);
    let mode = match mode_s.as_deref() {
        None => Mode::Prefer,
        Some(s) => Mode::parse(s).ok_or(format!(
            "sslmode={s}: expected disable, prefer, require, verify-ca or verify-full"
        ))?,
    };
    let mut config = postgres::Config::from_str(&rest)
        .map_err(|e| format!("cannot parse the database URL: {e}"))?;
    config.connect_timeout(timeout);
    config.application_name(app);
    let failed = |e: postgres::Error| {
        let msg = crate::live::connect_message(&e);
        if msg.contains("server does not support TLS") {
            format!(
                "cannot connect: the server does not accept TLS connections, and \
                 sslmode={} requires TLS",
                mode_s.as_deref().unwrap_or("require")
            )
        } else {
            format!("cannot connect: {msg}")
        }
    };
    if mode == Mode::Disable {
        config.ssl_mode(SslMode::Disable);
        return config.connect(postgres::NoTls).map_err(failed);
    }
    let provider = provider();
    let algs = provider.signature_verification_algorithms;
    // libpq: require with a root certificate behaves as verify-ca
    let store = roots(root.as_deref(), mode)?;
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup: {e}"))?;
    let tls = match (mode, store) {
        (Mode::VerifyFull, Some(store)) => {
            builder.with_root_certificates(store).with_no_client_auth()
        }
        (Mode::VerifyCa | Mode::Require, Some(store)) => {
            let v = WebPkiServerVerifier::builder_with_provider(
                Arc::new(store),
                Arc::new(rustls::crypto::ring::default_provider()),
            )
            .build()
            .map_err(|e| format!("TLS setup: {e}"))?;
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(Lenient {
                    chain: Some(v),
                    algs,
                }))
                .with_no_client_auth()
        }
        _ => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Lenient { chain: None, algs }))
            .with_no_client_auth(),
    };
    config.ssl_mode(if mode == Mode::Prefer {
        SslMode::Prefer
    } else {
        SslMode::Require
    });
    config
        .connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
        .map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_parameters_are_taken_out_of_the_url() {
        let (u, m, r) =
            split_params("postgres://a:b@h/db?sslmode=verify-full&sslrootcert=%2Ftmp%2Fca.pem&x=1");
        assert_eq!(u, "postgres://a:b@h/db?x=1");
        assert_eq!(m.as_deref(), Some("verify-full"));
        assert_eq!(r.as_deref(), Some("/tmp/ca.pem"));
        let (u, m, r) = split_params("postgres://h/db?sslmode=require");
        assert_eq!(
            (u.as_str(), m.as_deref(), r),
            ("postgres://h/db", Some("require"), None)
        );
        let (u, m, r) = split_params("host=h sslmode=verify-ca sslrootcert='/a b/ca.pem' dbname=d");
        assert_eq!(u, "host=h dbname=d");
        assert_eq!(m.as_deref(), Some("verify-ca"));
        assert_eq!(r.as_deref(), Some("/a b/ca.pem"));
        assert_eq!(Mode::parse("verify-full"), Some(Mode::VerifyFull));
        assert_eq!(Mode::parse("bogus"), None);
    }
}
