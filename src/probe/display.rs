//! The built-in panel: native resolution of the eDP/LVDS/DSI connector
//! (`sys/class/drm/card*-*/modes`, first line is the preferred mode).

use super::Facts;
use crate::report::{Display, Panel};

const DRM: &str = "sys/class/drm";

pub fn probe(f: &mut Facts) -> Display {
    for name in f.root.list(DRM) {
        let Some(connector) = internal_connector(&name) else {
            continue;
        };
        let dir = format!("{DRM}/{name}");
        if f.value(&format!("{dir}/status")).as_deref() == Some("disconnected") {
            continue;
        }
        if let Some((width, height)) = f.file(&format!("{dir}/modes")).as_deref().and_then(parse_first_mode) {
            return Display {
                panel: Some(Panel {
                    connector: connector.to_string(),
                    width,
                    height,
                }),
            };
        }
    }
    Display::default()
}

/// `card0-eDP-1` -> `eDP-1`; external connectors give `None`.
pub fn internal_connector(name: &str) -> Option<&str> {
    let (_, connector) = name.split_once('-')?;
    ["eDP", "LVDS", "DSI"]
        .iter()
        .any(|p| connector.starts_with(p))
        .then_some(connector)
}

/// `1366x768\n1024x768\n` -> (1366, 768). Modes may carry a suffix (`1920x1080i`).
pub fn parse_first_mode(modes: &str) -> Option<(u32, u32)> {
    let first = modes.lines().next()?.trim();
    let (w, h) = first.split_once('x')?;
    let h: String = h.chars().take_while(|c| c.is_ascii_digit()).collect();
    let (w, h) = (w.parse().ok()?, h.parse().ok()?);
    (w > 0 && h > 0).then_some((w, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panel_modes() {
        assert_eq!(parse_first_mode("1366x768\n1024x768\n800x600\n"), Some((1366, 768)));
        assert_eq!(parse_first_mode("1920x1080i\n"), Some((1920, 1080)));
        assert_eq!(parse_first_mode(""), None);
        assert_eq!(parse_first_mode("0x0\n"), None);
        assert_eq!(internal_connector("card0-eDP-1"), Some("eDP-1"));
        assert_eq!(internal_connector("card0-LVDS-1"), Some("LVDS-1"));
        assert_eq!(internal_connector("card0-HDMI-A-1"), None);
        assert_eq!(internal_connector("card0"), None);
    }
}
