//! Who the client is on the network, for per-client back-off.
//!
//! The socket's peer is the client unless it is one of the configured trusted proxies
//! (`--trusted-proxy`); only then are `Forwarded` and `X-Forwarded-For` believed, and only up
//! to the first hop, read from the right, that is not itself a trusted proxy. Anything left of
//! that hop was written by the client and may be made up, so a stranger who sends
//! `X-Forwarded-For: 1.2.3.4` cannot pose as someone else or spread their failures over
//! addresses they invent.

use http::{HeaderMap, header};
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// The client's address as this portal believes it; in every request's extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// Proxies whose forwarding headers are believed: addresses or ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0:?} is not an IP address or range (e.g. 10.0.0.5 or 10.0.0.0/8)")]
pub struct BadProxy(pub String);

impl TrustedProxies {
    /// Parses `10.0.0.5`, `10.0.0.0/8`, `::1` or `fd00::/8`.
    pub fn parse<S: AsRef<str>>(items: &[S]) -> Result<Self, BadProxy> {
        items
            .iter()
            .map(|s| {
                let s = s.as_ref().trim();
                s.parse::<IpNet>()
                    .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| BadProxy(s.to_owned()))
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client behind `peer`: the rightmost hop of the forwarding headers that is not a
    /// trusted proxy, or `peer` itself when it is not trusted or sent no usable header.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        // `Forwarded` is the standard; a proxy that writes it is asked first. A header that
        // cannot be read as addresses is ignored whole rather than half-believed.
        let hops = forwarded_hops(headers).or_else(|| x_forwarded_for_hops(headers));
        let Some(hops) = hops else {
            return peer;
        };
        let hops: Vec<IpAddr> = hops.into_iter().map(canonical).collect();
        hops.iter()
            .rev()
            .find(|hop| !self.trusts(**hop))
            // Every hop trusted: the leftmost one is as far as the chain can be followed.
            .or(hops.first())
            .copied()
            .unwrap_or(peer)
    }
}

/// IPv4 clients reached through an IPv6 socket appear as `::ffff:a.b.c.d`; one client, one key.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// All `X-Forwarded-For` values, left to right; `None` when absent or any part is not an address.
fn x_forwarded_for_hops(headers: &HeaderMap) -> Option<Vec<IpAddr>> {
    values(headers, "x-forwarded-for")?
        .iter()
        .flat_map(|v| v.split(','))
        .map(|hop| parse_hop(hop.trim()))
        .collect()
}

/// The `for=` parameters of all `Forwarded` elements (RFC 7239), left to right.
fn forwarded_hops(headers: &HeaderMap) -> Option<Vec<IpAddr>> {
    values(headers, header::FORWARDED.as_str())?
        .iter()
        .flat_map(|v| v.split(','))
        .map(|element| {
            let node = element.split(';').find_map(|pair| {
                let (k, v) = pair.trim().split_once('=')?;
                k.trim().eq_ignore_ascii_case("for").then_some(v.trim())
            })?;
            parse_hop(node.trim_matches('"'))
        })
        .collect()
}

/// Every value of a header, in order; `None` when there is none or one is not text.
fn values<'h>(headers: &'h HeaderMap, name: &str) -> Option<Vec<&'h str>> {
    let values: Vec<&str> = headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().ok())
        .collect::<Option<_>>()?;
    (!values.is_empty()).then_some(values)
}

/// `192.0.2.1`, `192.0.2.1:4711`, `[2001:db8::1]` or `[2001:db8::1]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(sock) = hop.parse::<SocketAddr>() {
        return Some(sock.ip());
    }
    hop.strip_prefix('[')
        .and_then(|rest| rest.split_once(']'))
        .and_then(|(ip, _)| ip.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                header::HeaderName::from_bytes(k.as_bytes()).unwrap_or(header::FORWARDED),
                v.parse().unwrap_or(header::HeaderValue::from_static("")),
            );
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    #[test]
    fn parses_addresses_and_ranges() {
        let t = TrustedProxies::parse(&["10.0.0.0/8", "192.0.2.7", "fd00::/8"]);
        assert!(t.is_ok());
        let t = t.unwrap_or_default();
        assert!(t.trusts(ip("10.1.2.3")));
        assert!(t.trusts(ip("192.0.2.7")));
        assert!(!t.trusts(ip("192.0.2.8")));
        assert!(t.trusts(ip("fd00::1")));
        assert!(
            t.trusts(ip("::ffff:10.0.0.1")),
            "mapped IPv4 counts as IPv4"
        );
        assert_eq!(
            TrustedProxies::parse(&["10.0.0.0/33"]),
            Err(BadProxy("10.0.0.0/33".into()))
        );
        assert_eq!(
            TrustedProxies::parse(&["proxy.local"]),
            Err(BadProxy("proxy.local".into()))
        );
    }

    #[test]
    fn headers_are_ignored_unless_the_peer_is_trusted() {
        let none = TrustedProxies::default();
        let h = headers(&[("x-forwarded-for", "1.2.3.4"), ("forwarded", "for=5.6.7.8")]);
        assert_eq!(none.client(ip("192.0.2.1"), &h), ip("192.0.2.1"));
        let t = TrustedProxies::parse(&["10.0.0.0/8"]).unwrap_or_default();
        assert_eq!(
            t.client(ip("192.0.2.1"), &h),
            ip("192.0.2.1"),
            "an untrusted peer's headers are its own invention"
        );
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let t = TrustedProxies::parse(&["10.0.0.0/8"]).unwrap_or_default();
        let cases = [
            // What the client wrote is left of what our proxies appended.
            (
                vec![("x-forwarded-for", "6.6.6.6, 203.0.113.9, 10.0.0.2")],
                "203.0.113.9",
            ),
            (
                vec![
                    ("x-forwarded-for", "6.6.6.6"),
                    ("x-forwarded-for", "203.0.113.9"),
                ],
                "203.0.113.9",
            ),
            (
                vec![(
                    "forwarded",
                    "for=6.6.6.6, for=\"[2001:db8::1]:4711\";proto=https",
                )],
                "2001:db8::1",
            ),
            (
                vec![
                    ("forwarded", "For=203.0.113.9:555"),
                    ("x-forwarded-for", "6.6.6.6"),
                ],
                "203.0.113.9",
            ),
            // Only trusted hops: as far back as the chain goes.
            (vec![("x-forwarded-for", "10.0.0.3, 10.0.0.2")], "10.0.0.3"),
            // Unreadable headers are not half-believed.
            (
                vec![("x-forwarded-for", "203.0.113.9, garbage")],
                "10.0.0.1",
            ),
            (vec![("forwarded", "for=unknown")], "10.0.0.1"),
            (vec![], "10.0.0.1"),
        ];
        for (pairs, want) in cases {
            assert_eq!(
                t.client(ip("10.0.0.1"), &headers(&pairs)),
                ip(want),
                "{pairs:?}"
            );
        }
    }
}
