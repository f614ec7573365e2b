//! The client's address: the key of per-address rate limits, and what sessions and the audit log
//! record ([`crate::extract::ClientInfo`]).
//!
//! By default it is the socket peer, and `X-Forwarded-For` is ignored: any client can send one.
//! Behind reverse proxies, `TRUSTED_PROXIES` lists their addresses and networks; only when the
//! peer is one of them is the address taken from `X-Forwarded-For`, as the right-most entry that
//! is not itself a trusted proxy. Each proxy appends the address it received the request from, so
//! that entry was written by a trusted proxy, while anything left of it is the client's say-so.
//! When every entry is a trusted proxy, the left-most one is used; an entry that is not an address
//! ends the walk at the last trusted hop before it.

use std::net::{IpAddr, SocketAddr};

use ipnet::IpNet;

/// The reverse proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses a comma-separated list of addresses (`10.0.0.7`, `::1`) and networks in CIDR
    /// notation (`10.0.0.0/8`, `fd00::/8`); blanks are skipped. Every invalid entry is named.
    pub fn parse(list: &str) -> Result<Self, Vec<String>> {
        let mut networks = Vec::new();
        let mut invalid = Vec::new();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            match entry
                .parse::<IpNet>()
                .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
            {
                Ok(network) => networks.push(network),
                Err(_) => invalid.push(entry.to_owned()),
            }
        }
        if invalid.is_empty() {
            Ok(Self(networks))
        } else {
            Err(invalid)
        }
    }

    /// Whether `ip` is a trusted proxy.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|network| network.contains(&ip))
    }

    /// The client's address for a request from `peer` carrying these `X-Forwarded-For` values
    /// (one per header line, in order; `None` for a value that is not text).
    pub fn client_ip<'a>(
        &self,
        peer: IpAddr,
        forwarded_for: impl IntoIterator<Item = Option<&'a str>>,
    ) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.contains(peer) {
            return peer;
        }
        let entries: Vec<Option<IpAddr>> = forwarded_for
            .into_iter()
            .flat_map(|value| match value {
                Some(text) => text.split(',').map(parse_entry).collect(),
                None => vec![None],
            })
            .collect();
        let mut client = peer;
        for entry in entries.into_iter().rev() {
            let Some(ip) = entry else { break };
            client = ip;
            if !self.contains(ip) {
                break;
            }
        }
        client
    }
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`203.0.113.7:4711`,
/// `[2001:db8::1]:4711`) or in brackets.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|a| a.ip()))
        .or_else(|_| {
            entry
                .strip_prefix('[')
                .and_then(|e| e.strip_suffix(']'))
                .unwrap_or_default()
                .parse::<IpAddr>()
        })
        .ok()
        .map(|ip| ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn client(trusted: &str, peer: &str, forwarded_for: &[&str]) -> String {
        TrustedProxies::parse(trusted)
            .unwrap()
            .client_ip(ip(peer), forwarded_for.iter().map(|v| Some(*v)))
            .to_string()
    }

    #[test]
    fn the_list_takes_addresses_and_networks_and_names_every_invalid_entry() {
        let proxies = TrustedProxies::parse(" 10.0.0.0/8, 192.168.1.7 ,::1, fd00::/8,").unwrap();

        assert!(proxies.contains(ip("10.20.30.40")));
        assert!(proxies.contains(ip("192.168.1.7")));
        assert!(!proxies.contains(ip("192.168.1.8")));
        assert!(proxies.contains(ip("::1")));
        assert!(proxies.contains(ip("fd12::1")));
        assert!(proxies.contains(ip("::ffff:10.0.0.1")), "IPv4-mapped");
        assert_eq!(TrustedProxies::parse(""), Ok(TrustedProxies::default()));
        assert_eq!(
            TrustedProxies::parse("10.0.0.0/33, proxy.internal, 10.0.0.1"),
            Err(vec!["10.0.0.0/33".to_owned(), "proxy.internal".to_owned()])
        );
    }

    #[test]
    fn forwarded_for_counts_only_when_the_peer_is_a_trusted_proxy() {
        assert_eq!(client("", "203.0.113.9", &["198.51.100.1"]), "203.0.113.9");
        assert_eq!(
            client("10.0.0.0/8", "203.0.113.9", &["198.51.100.1"]),
            "203.0.113.9"
        );
        assert_eq!(
            client("10.0.0.0/8", "10.0.0.2", &["198.51.100.1"]),
            "198.51.100.1"
        );
        assert_eq!(client("10.0.0.0/8", "10.0.0.2", &[]), "10.0.0.2");
    }

    #[test]
    fn the_right_most_address_that_is_not_a_trusted_proxy_is_the_client() {
        let trusted = "10.0.0.0/8";
        // The client forged the left-most entry; the proxies appended the rest.
        assert_eq!(
            client(trusted, "10.0.0.2", &["1.2.3.4, 198.51.100.1, 10.0.0.3"]),
            "198.51.100.1"
        );
        // Several header lines are one list, in order.
        assert_eq!(
            client(trusted, "10.0.0.2", &["1.2.3.4", "198.51.100.1, 10.0.0.3"]),
            "198.51.100.1"
        );
        // Only proxies: the left-most.
        assert_eq!(
            client(trusted, "10.0.0.2", &["10.0.0.9, 10.0.0.3"]),
            "10.0.0.9"
        );
        // Garbage stops the walk at the last trusted hop.
        assert_eq!(
            client(trusted, "10.0.0.2", &["198.51.100.1, unknown, 10.0.0.3"]),
            "10.0.0.3"
        );
        assert_eq!(client(trusted, "10.0.0.2", &["not an address"]), "10.0.0.2");
        // Ports and brackets.
        assert_eq!(
            client(trusted, "10.0.0.2", &["198.51.100.1:4711"]),
            "198.51.100.1"
        );
        assert_eq!(
            client(trusted, "10.0.0.2", &["[2001:db8::1]:4711"]),
            "2001:db8::1"
        );
        assert_eq!(
            client(trusted, "10.0.0.2", &["[2001:db8::1]"]),
            "2001:db8::1"
        );
        let proxies = TrustedProxies::parse(trusted).unwrap();
        assert_eq!(
            proxies
                .client_ip(ip("10.0.0.2"), [Some("198.51.100.1"), None])
                .to_string(),
            "10.0.0.2",
            "a value that is not text"
        );
    }
}
