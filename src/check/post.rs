//! Sending the self-check to the workshop's `serve`: where it is and who this laptop is
//! (`/etc/upcycle/serve.conf`, written by postinstall.sh: the serve address, the asset id
//! and the install token), and one HTTP/1.1 POST to
//! `/_upcycle/checked/<asset-id>/<token>`, the same kind of callback as the installer's.
//! No HTTP client crate: one request, one status line.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use crate::l10n::Said;
use crate::token::InstallToken;

/// Where postinstall.sh writes who this laptop is and where serve is.
pub const SERVE_CONF: &str = "etc/upcycle/serve.conf";
/// One attempt's limit for connecting, sending and the answer.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// serve's address: `http://HOST:PORT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeUrl {
    pub host: String,
    pub port: u16,
}

impl ServeUrl {
    /// `http://192.168.1.10:8080` (a trailing `/` allowed; no path, no user, no https:
    /// serve speaks plain HTTP on the workshop's LAN).
    pub fn parse(s: &str) -> Option<ServeUrl> {
        let rest = s.trim().strip_prefix("http://")?;
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        let (host, port) = match rest.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().ok().filter(|p| *p > 0)?),
            None => (rest, 80),
        };
        let host_ok = !host.is_empty()
            && host.len() <= 253
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
        host_ok.then(|| ServeUrl {
            host: host.to_string(),
            port,
        })
    }

    pub fn text(&self) -> String {
        format!("http://{}:{}", self.host, self.port)
    }
}

/// What `serve.conf` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeConf {
    /// Unknown when the laptop was installed without serve (a stick without `--server`).
    pub url: Option<ServeUrl>,
    pub asset_id: String,
    pub token: InstallToken,
}

/// `key=value` lines (`url`, `asset_id`, `token`); other lines are ignored, a bad value
/// is an error naming the key.
pub fn parse_serve_conf(text: &str) -> Result<ServeConf, Said> {
    let (mut url, mut asset_id, mut token) = (None, None, None);
    let bad = |key: &str| Said::new("chk-err-serve-conf").arg("key", key);
    for line in text.lines() {
        match line.split_once('=') {
            Some(("url", "")) => {}
            Some(("url", v)) => url = Some(ServeUrl::parse(v).ok_or_else(|| bad("url"))?),
            Some(("asset_id", v)) if crate::media::valid_asset_id(v) => asset_id = Some(v.to_string()),
            Some(("asset_id", _)) => return Err(bad("asset_id")),
            Some(("token", v)) => token = Some(InstallToken::new(v).map_err(|_| bad("token"))?),
            _ => {}
        }
    }
    Ok(ServeConf {
        url,
        asset_id: asset_id.ok_or_else(|| bad("asset_id"))?,
        token: token.ok_or_else(|| bad("token"))?,
    })
}

/// Why a post did not arrive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostError {
    /// No connection (serve not running, no network yet): worth another try.
    Unreachable(String),
    /// serve answered, and not with 200: its status line.
    Refused(String),
    /// The connection broke or the answer was no HTTP.
    Broken(String),
}

impl PostError {
    pub fn said(&self, url: &ServeUrl) -> Said {
        let (code, detail) = match self {
            PostError::Unreachable(d) => ("chk-post-unreachable", d),
            PostError::Refused(d) => ("chk-post-refused", d),
            PostError::Broken(d) => ("chk-post-broken", d),
        };
        Said::new(code).arg("url", url.text()).arg("detail", detail.as_str())
    }
}

/// POST `body` (the check document) for `asset_id` with its `token`; tries again every
/// 5 s while serve is unreachable, until `wait` has passed.
pub fn post(
    url: &ServeUrl,
    asset_id: &str,
    token: &InstallToken,
    body: &[u8],
    wait: Duration,
) -> Result<(), PostError> {
    let deadline = Instant::now() + wait;
    loop {
        match post_once(url, asset_id, token, body) {
            Err(PostError::Unreachable(_)) if Instant::now() + Duration::from_secs(5) < deadline => {
                std::thread::sleep(Duration::from_secs(5));
            }
            other => return other,
        }
    }
}

fn post_once(url: &ServeUrl, asset_id: &str, token: &InstallToken, body: &[u8]) -> Result<(), PostError> {
    let addrs: Vec<_> = (url.host.as_str(), url.port)
        .to_socket_addrs()
        .map_err(|e| PostError::Unreachable(e.to_string()))?
        .collect();
    let mut last = String::from("no address");
    let mut stream = None;
    for a in addrs {
        match TcpStream::connect_timeout(&a, TIMEOUT) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last = e.to_string(),
        }
    }
    let mut stream = stream.ok_or(PostError::Unreachable(last))?;
    let broken = |e: std::io::Error| PostError::Broken(e.to_string());
    stream.set_write_timeout(Some(TIMEOUT)).map_err(broken)?;
    stream.set_read_timeout(Some(TIMEOUT)).map_err(broken)?;
    let head = format!(
        "POST /_upcycle/checked/{asset_id}/{} HTTP/1.1\r\nHost: {}:{}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        token.as_str(),
        url.host,
        url.port,
        body.len()
    );
    stream.write_all(head.as_bytes()).map_err(broken)?;
    stream.write_all(body).map_err(broken)?;
    stream.flush().map_err(broken)?;
    let mut answer = Vec::new();
    let _ = stream.take(64 * 1024).read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer);
    let status_line = text.lines().next().unwrap_or("").trim().to_string();
    let status = status_line.split_whitespace().nth(1).unwrap_or("");
    match status {
        "200" => Ok(()),
        "" => Err(PostError::Broken("no answer".into())),
        _ => {
            // serve says why in its body's first line.
            let body_line = text
                .split("\r\n\r\n")
                .nth(1)
                .and_then(|b| b.lines().next())
                .unwrap_or("");
            let why = if body_line.is_empty() {
                status_line
            } else {
                body_line.to_string()
            };
            Err(PostError::Refused(
                crate::render::one_line(&why).chars().take(200).collect(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serve_urls_are_plain_http_host_and_port() {
        assert_eq!(
            ServeUrl::parse("http://192.168.1.10:8080/"),
            Some(ServeUrl {
                host: "192.168.1.10".into(),
                port: 8080
            })
        );
        assert_eq!(ServeUrl::parse("http://werkstatt-pc").map(|u| u.port), Some(80));
        for bad in [
            "https://x:1",
            "http://x:0",
            "http://x:99999",
            "http://x:80/path",
            "http://user@x:80",
            "http://:80",
            "http://a b:80",
            "ftp://x",
        ] {
            assert_eq!(ServeUrl::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn serve_conf_needs_asset_id_and_token_and_checks_each() {
        let t = "0123456789abcdef0123456789abcdef";
        let c = parse_serve_conf(&format!("url=http://10.0.0.1:8080\nasset_id=schule-003\ntoken={t}\n")).unwrap();
        assert_eq!(c.url.unwrap().text(), "http://10.0.0.1:8080");
        assert_eq!(c.asset_id, "schule-003");
        let c = parse_serve_conf(&format!("url=\nasset_id=schule-003\ntoken={t}\n")).unwrap();
        assert_eq!(c.url, None);
        for (bad, key) in [
            (format!("asset_id=schule-003\ntoken={t}\nurl=http://x;rm:1\n"), "url"),
            (format!("asset_id=Schule 3\ntoken={t}\n"), "asset_id"),
            ("asset_id=schule-003\ntoken=short\n".to_string(), "token"),
            ("asset_id=schule-003\n".to_string(), "token"),
        ] {
            let e = parse_serve_conf(&bad).unwrap_err();
            assert_eq!(e.code, "chk-err-serve-conf");
            assert_eq!(e.args.get("key"), Some(&crate::l10n::Arg::Text(key.into())), "{bad}");
        }
    }
}
