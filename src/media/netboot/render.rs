//! The generated texts of the network-install tree, through the Tera templates in
//! `templates/netboot/` (embedded): pxelinux menus, GRUB configs, dnsmasq.conf, README.txt,
//! start.sh. Pure, like the bundle's `render`.
//!
//! The templates see only [`TreeView`]: values checked before (asset ids, MACs, releases,
//! the boot line built by `boot_line::build` from validated kernel parameters, locale and
//! keymap checked by `check_inputs`, the tree's path checked by the command) and untrusted
//! text (the model, the codename) that must pass the `tame` filter
//! ([`one_line_ascii`]). Paths go through `sh_word` (shell) or `dnsmasq_path` (dnsmasq
//! option value).

use std::collections::HashMap;

use include_dir::{Dir, include_dir};
use serde::Serialize;
use tera::{Context, Tera, Value};

use super::{
    AUTO_INSTALL_SECONDS, MENU_SECONDS, NetbootBundle, NetbootError, NetbootInput, efi_boot_file, install_params,
    kernel_dir,
};
use crate::catalog::Arch;
use crate::media::{InstallerImages, one_line_ascii};

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates/netboot");

/// What the netboot templates see (documented in templates/README.md).
#[derive(Debug, Serialize)]
struct TreeView<'a> {
    server: String,
    subnet: String,
    network: String,
    netmask: String,
    http_port: u16,
    /// Absolute path of `DIR/tftp` and of `DIR` (checked by the command).
    tftp_root: &'a str,
    tree_dir: &'a str,
    serve_dir: Option<&'a str>,
    auto_seconds: u32,
    menu_seconds: u32,
    /// Every bundle, sorted by asset id.
    bundles: Vec<BundleView<'a>>,
    /// The UEFI architectures in use, with the boot file the DHCP answer names.
    efi: Vec<EfiView>,
    /// The images pxelinux.0 comes from.
    bios_release: &'a str,
    bios_arch: &'static str,
}

#[derive(Debug, Clone, Serialize)]
struct BundleView<'a> {
    id: &'a str,
    /// Untrusted: only through `tame`.
    model: &'a str,
    /// From the bundle's selection: through `tame`.
    codename: &'a str,
    release: &'a str,
    arch: &'static str,
    /// `debian/<release>/<arch>`: where its kernel and initrd are in the tree.
    dir: String,
    /// The installer's kernel command line (validated words).
    params: String,
    macs: &'a [String],
}

#[derive(Debug, Serialize)]
struct EfiView {
    arch: &'static str,
    boot_file: String,
}

/// The compiled templates and the view of one tree.
pub(super) struct Texts<'a> {
    tera: Tera,
    view: TreeView<'a>,
}

impl<'a> Texts<'a> {
    /// `input` must have passed `check_inputs`.
    pub(super) fn new(
        input: &'a NetbootInput,
        bios: &'a InstallerImages,
        efi_arches: &[Arch],
    ) -> Result<Texts<'a>, NetbootError> {
        let mut bundles = Vec::new();
        for b in input.bundles {
            bundles.push(bundle_view(input, b)?);
        }
        let view = TreeView {
            server: input.server.to_string(),
            subnet: input.subnet.to_string(),
            network: input.subnet.network.to_string(),
            netmask: input.subnet.netmask().to_string(),
            http_port: input.http_port,
            tftp_root: &input.tftp_root,
            tree_dir: tree_dir(&input.tftp_root),
            serve_dir: input.serve_dir.as_deref(),
            auto_seconds: AUTO_INSTALL_SECONDS,
            menu_seconds: MENU_SECONDS,
            bundles,
            efi: efi_arches
                .iter()
                .map(|a| EfiView {
                    arch: a.as_str(),
                    boot_file: efi_boot_file(*a),
                })
                .collect(),
            bios_release: &bios.release,
            bios_arch: bios.arch.as_str(),
        };
        Ok(Texts {
            tera: tera(input.lang)?,
            view,
        })
    }

    /// Render `name` with the view and `add`'s extra values.
    fn render(&self, name: &str, add: impl FnOnce(&mut Context)) -> Result<String, NetbootError> {
        let mut context = Context::from_serialize(&self.view).map_err(template_error(name))?;
        add(&mut context);
        self.tera.render(name, &context).map_err(template_error(name))
    }

    /// `pxelinux.cfg/default`: every bundle; the default is the local disk.
    pub(super) fn pxelinux_menu(&self) -> Result<String, NetbootError> {
        self.render("pxelinux-default.tera", |_| ())
    }

    /// `pxelinux.cfg/01-<mac>`: this laptop's install after a countdown, or its disk, or
    /// the shared menu.
    pub(super) fn pxelinux_machine(&self, b: &NetbootBundle) -> Result<String, NetbootError> {
        let machine = self.bundle(b);
        self.render("pxelinux-machine.tera", |c| c.insert("machine", machine))
    }

    /// `debian-installer/<arch>/grub/grub.cfg`: the bundles of this architecture; a laptop
    /// whose MAC is known starts its own entry after a countdown, any other one waits and
    /// then leaves to the firmware (next boot device).
    pub(super) fn grub_menu(&self, arch: Arch) -> Result<String, NetbootError> {
        let arch_bundles: Vec<&BundleView> = self.view.bundles.iter().filter(|b| b.arch == arch.as_str()).collect();
        self.render("grub.cfg.tera", |c| {
            c.insert("arch", arch.as_str());
            c.insert("arch_bundles", &arch_bundles);
        })
    }

    /// dnsmasq as proxy DHCP (the school's router keeps giving out addresses) and TFTP.
    pub(super) fn dnsmasq_conf(&self) -> Result<String, NetbootError> {
        self.render("dnsmasq.conf.tera", |_| ())
    }

    pub(super) fn readme(&self) -> Result<String, NetbootError> {
        self.render("README.txt.tera", |_| ())
    }

    pub(super) fn start_sh(&self) -> Result<String, NetbootError> {
        self.render("start.sh.tera", |_| ())
    }

    fn bundle(&self, b: &NetbootBundle) -> &BundleView<'a> {
        self.view
            .bundles
            .iter()
            .find(|v| v.id == b.info.asset_id)
            .expect("every bundle of the input has a view")
    }
}

fn bundle_view<'a>(input: &NetbootInput, b: &'a NetbootBundle) -> Result<BundleView<'a>, NetbootError> {
    Ok(BundleView {
        id: &b.info.asset_id,
        model: &b.info.model,
        codename: &b.info.codename,
        release: &b.info.release,
        arch: b.info.arch.as_str(),
        dir: kernel_dir(&b.info.release, b.info.arch),
        params: install_params(b, input.server, input.http_port, input.append)?.join(" "),
        macs: &b.info.ethernet_macs,
    })
}

fn template_error(name: &str) -> impl Fn(tera::Error) -> NetbootError + '_ {
    move |e| {
        let mut message = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            message.push_str(": ");
            message.push_str(&s.to_string());
            source = s.source();
        }
        NetbootError::Template {
            name: name.to_string(),
            message,
        }
    }
}

/// The embedded templates, compiled, with the filters they need.
fn tera(lang: crate::l10n::Lang) -> Result<Tera, NetbootError> {
    let sources: Vec<(String, String)> = TEMPLATES
        .files()
        .filter_map(|f| {
            let name = f.path().to_string_lossy().into_owned();
            name.ends_with(".tera")
                .then(|| (name, String::from_utf8_lossy(f.contents()).into_owned()))
        })
        .collect();
    let mut tera = Tera::default();
    tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(template_error("templates/netboot"))?;
    tera.register_filter("tame", filter_tame);
    tera.register_filter("sh_word", filter_sh_word);
    tera.register_filter("dnsmasq_path", filter_dnsmasq_path);
    crate::l10n::register_tera(&mut tera, lang);
    Ok(tera)
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `tame`: untrusted text as one menu-safe line ([`one_line_ascii`]); `max=N` cuts it to
/// N characters (and drops the blank the cut may leave at the end).
fn filter_tame(v: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = one_line_ascii(&text_of(v));
    let text = match args.get("max") {
        None => text,
        Some(max) => {
            let max = max
                .as_u64()
                .ok_or_else(|| tera::Error::msg("tame: max must be a number"))?;
            let cut: String = text.chars().take(max as usize).collect();
            cut.trim_end().to_string()
        }
    };
    Ok(Value::String(text))
}

fn filter_sh_word(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(Value::String(sh_quote(&text_of(v))))
}

fn filter_dnsmasq_path(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(Value::String(dnsmasq_quote(&text_of(v))))
}

/// The tree's folder: `tftp_root` without its last component.
fn tree_dir(tftp_root: &str) -> &str {
    tftp_root.strip_suffix("/tftp").unwrap_or(tftp_root)
}

/// A path as a dnsmasq option value: quoted when it holds spaces. The command refuses
/// paths with characters dnsmasq cannot take (`,`, `"`, `\`, `#`, control characters).
fn dnsmasq_quote(path: &str) -> String {
    if path.contains(' ') {
        format!("\"{path}\"")
    } else {
        path.to_string()
    }
}

/// A shell word: as it is when it is plain, else single-quoted.
fn sh_quote(text: &str) -> String {
    if !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+=:@".contains(&b))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tame(text: &str, args: &[(&str, Value)]) -> String {
        let args: HashMap<String, Value> = args.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        filter_tame(&Value::String(text.into()), &args)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    #[test]
    fn filters() {
        assert_eq!(
            tame("IBM\nThinkPad $(reboot) } 'T40'", &[]),
            "IBM ThinkPad (reboot) T40"
        );
        assert_eq!(tame("abc def", &[("max", Value::from(4))]), "abc");
        assert_eq!(sh_quote("/srv/net boot"), "'/srv/net boot'");
        assert_eq!(sh_quote("/media/it's"), "'/media/it'\\''s'");
        assert_eq!(sh_quote("/srv/netboot"), "/srv/netboot");
        assert_eq!(dnsmasq_quote("/a b/tftp"), "\"/a b/tftp\"");
    }

    /// The laptop's text (model, codename) is in the view raw: every template use of it
    /// must go through `tame`.
    #[test]
    fn untrusted_text_only_through_tame() {
        for f in TEMPLATES.files() {
            let text = f.contents_utf8().unwrap();
            for field in [".model", ".codename"] {
                for (i, _) in text.match_indices(field) {
                    let rest = text[i + field.len()..].trim_start();
                    assert!(
                        rest.starts_with("| tame"),
                        "{}: {field} without | tame",
                        f.path().display()
                    );
                }
            }
        }
    }

    #[test]
    fn every_template_compiles() {
        let tera = tera(crate::l10n::Lang::En).unwrap();
        let mut names: Vec<&str> = tera.get_template_names().collect();
        names.sort();
        assert_eq!(
            names,
            [
                "README.txt.tera",
                "dnsmasq.conf.tera",
                "grub.cfg.tera",
                "macros.tera",
                "pxelinux-default.tera",
                "pxelinux-machine.tera",
                "start.sh.tera"
            ]
        );
    }
}
