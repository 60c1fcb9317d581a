//! The laptops' IPv4 network (`--subnet`, default the server's /24): the proxy DHCP's
//! `dhcp-range` in dnsmasq.conf.

use std::net::Ipv4Addr;

/// An IPv4 network: where the laptops and the workshop PC are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subnet {
    pub network: Ipv4Addr,
    pub prefix: u8,
}

impl Subnet {
    /// The /`prefix` network holding `addr`.
    pub fn around(addr: Ipv4Addr, prefix: u8) -> Subnet {
        let mask = Self::mask_bits(prefix);
        Subnet {
            network: Ipv4Addr::from(u32::from(addr) & mask),
            prefix,
        }
    }

    /// `192.168.1.0/24`; the address part may be any address inside the network.
    /// The error is something said (`err-subnet-*`), in the terminal's language.
    pub fn parse(text: &str) -> Result<Subnet, crate::l10n::Said> {
        use crate::l10n::Said;
        let (addr, prefix) = text
            .split_once('/')
            .ok_or_else(|| Said::new("err-subnet-shape").arg("value", text))?;
        let addr: Ipv4Addr = addr
            .parse()
            .map_err(|_| Said::new("err-subnet-address").arg("value", addr))?;
        let prefix: u8 = prefix
            .parse()
            .ok()
            .filter(|p| (8..=30).contains(p))
            .ok_or_else(|| Said::new("err-subnet-prefix").arg("value", prefix))?;
        Ok(Subnet::around(addr, prefix))
    }

    fn mask_bits(prefix: u8) -> u32 {
        if prefix == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(prefix))
        }
    }

    pub fn netmask(&self) -> Ipv4Addr {
        Ipv4Addr::from(Self::mask_bits(self.prefix))
    }

    pub fn contains(&self, addr: Ipv4Addr) -> bool {
        u32::from(addr) & Self::mask_bits(self.prefix) == u32::from(self.network)
    }
}

impl std::fmt::Display for Subnet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subnets() {
        let s = Subnet::parse("10.1.2.3/16").unwrap();
        assert_eq!(s.to_string(), "10.1.0.0/16");
        assert_eq!(s.netmask(), Ipv4Addr::new(255, 255, 0, 0));
        assert!(s.contains(Ipv4Addr::new(10, 1, 200, 1)));
        assert!(!s.contains(Ipv4Addr::new(10, 2, 0, 1)));
        assert!(Subnet::parse("10.1.2.3").is_err());
        assert!(Subnet::parse("10.1.2.3/33").is_err());
        assert!(Subnet::parse("x/24").is_err());
        use crate::l10n::{Lang, say};
        let e = Subnet::parse("10.1.2.3/33").unwrap_err();
        assert_eq!(say(Lang::En, &e), "'/33': the prefix length must be 8 to 30");
        assert_eq!(say(Lang::De, &e), "'/33': die Präfixlänge muss 8 bis 30 sein");
    }
}
