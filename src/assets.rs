//! Man pages and shell completions made from the real clap command, so what `upcycle
//! --help` says and what the Debian package installs cannot drift apart
//! (docs/packaging.md). Pure: returns files as (relative path, bytes); the command
//! `generate-assets` writes them.

use clap::Command;
use clap_complete::Shell;

use crate::l10n::Lang;

/// One generated file: its path under the output folder and its content.
pub type Asset = (String, Vec<u8>);

/// Every asset of the package: English man pages in `man/` (the page every locale falls
/// back to), German ones in `man/de/` (man-db shows them when LANG is German), and the
/// bash, zsh and fish completions in `completions/`.
pub fn all(cli: &Command) -> Vec<Asset> {
    let mut assets = Vec::new();
    for (lang, dir) in [(Lang::En, "man"), (Lang::De, "man/de")] {
        for (name, page) in man_pages(crate::l10n::command(cli.clone(), lang)) {
            assets.push((format!("{dir}/{name}"), page));
        }
    }
    assets.extend(completions(crate::l10n::command(cli.clone(), Lang::De)));
    assets
}

/// `upcycle.1` and one page per visible subcommand, named as git names its pages
/// (`upcycle-generate.1`, `upcycle-media-usb.1`); hidden commands (for scripts) get none.
pub fn man_pages(mut cmd: Command) -> Vec<Asset> {
    cmd.build();
    let mut pages = Vec::new();
    collect_pages(&cmd, &mut pages);
    pages.sort();
    pages
}

fn collect_pages(cmd: &Command, pages: &mut Vec<Asset>) {
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        collect_pages(sub, pages);
    }
    let man = clap_mangen::Man::new(cmd.clone())
        .source(format!("upcycle {}", env!("CARGO_PKG_VERSION")))
        .manual("upcycle");
    let mut page = Vec::new();
    man.render(&mut page).expect("rendering into memory cannot fail");
    pages.push((man.get_filename(), page));
}

/// Completions for bash, zsh and fish, as their packages' default paths name them
/// (`upcycle.bash`, `_upcycle`, `upcycle.fish`).
pub fn completions(mut cmd: Command) -> Vec<Asset> {
    [Shell::Bash, Shell::Zsh, Shell::Fish]
        .into_iter()
        .map(|shell| {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "upcycle", &mut script);
            let name = match shell {
                Shell::Zsh => "_upcycle".to_string(),
                _ => format!("upcycle.{shell}"),
            };
            (format!("completions/{name}"), script)
        })
        .collect()
}
