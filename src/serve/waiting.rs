//! The connections still sending their request head, held by one thread without a thread
//! each, and the rule for who must leave when there are too many.
//!
//! Why: a connection costs a thread only once its head is complete (then it is answered in
//! milliseconds). A client that trickles its head byte by byte (slowloris) costs a file
//! descriptor and a buffer here, nothing more. When the room is full, the client that has
//! waited longest leaves: a real installer sends its head in one packet right after it
//! connects, so it is never the oldest; a slow client is. The same within one address, so
//! one laptop (or one attacker) holds at most [`MAX_WAITING_PER_IP`] places and a real
//! client from a shared address still gets in. Pure: no sockets, unit-tested.

use std::net::IpAddr;
use std::time::{Duration, Instant};

/// Connections that may be sending their head at once (file descriptors, not threads: with
/// [`super::connection::MAX_CONNECTIONS`] answering they stay under the usual limit of 1024).
pub const MAX_WAITING: usize = 512;
/// Of those, from one client address: as many as it may have answered at once
/// ([`super::connection::MAX_CONNECTIONS_PER_IP`]; a room behind one NAT router).
pub const MAX_WAITING_PER_IP: usize = 32;

struct Entry<C> {
    ip: IpAddr,
    since: Instant,
    conn: C,
}

/// Waiting connections in the order they came, oldest first.
pub struct WaitingRoom<C> {
    entries: Vec<Entry<C>>,
    capacity: usize,
    per_ip: usize,
}

impl<C> WaitingRoom<C> {
    pub fn new(capacity: usize, per_ip: usize) -> Self {
        WaitingRoom {
            entries: Vec::new(),
            capacity: capacity.max(1),
            per_ip: per_ip.max(1),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Let `conn` in; returns the connection that had to leave to make room for it: the
    /// oldest of its address when that address already holds its share, else the oldest of
    /// all when the room is full.
    pub fn admit(&mut self, ip: IpAddr, since: Instant, conn: C) -> Option<C> {
        let same_ip = self.entries.iter().filter(|e| e.ip == ip).count();
        let leaving = if same_ip >= self.per_ip {
            self.entries.iter().position(|e| e.ip == ip)
        } else if self.entries.len() >= self.capacity {
            Some(0)
        } else {
            None
        };
        let left = leaving.map(|i| self.entries.remove(i).conn);
        self.entries.push(Entry { ip, since, conn });
        left
    }

    /// Take out the connections that have waited `timeout` or longer at `now`.
    pub fn take_expired(&mut self, now: Instant, timeout: Duration) -> Vec<C> {
        let expired = self
            .entries
            .iter()
            .take_while(|e| now.saturating_duration_since(e.since) >= timeout)
            .count();
        self.entries.drain(..expired).map(|e| e.conn).collect()
    }

    /// When the oldest connection's time is up (`None` when nobody waits).
    pub fn next_deadline(&self, timeout: Duration) -> Option<Instant> {
        self.entries.first().map(|e| e.since + timeout)
    }

    pub fn get(&self, index: usize) -> &C {
        &self.entries[index].conn
    }

    pub fn get_mut(&mut self, index: usize) -> &mut C {
        &mut self.entries[index].conn
    }

    pub fn remove(&mut self, index: usize) -> C {
        self.entries.remove(index).conn
    }

    pub fn iter(&self) -> impl Iterator<Item = &C> {
        self.entries.iter().map(|e| &e.conn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn ip(last: u8) -> IpAddr {
        Ipv4Addr::new(192, 168, 1, last).into()
    }

    #[test]
    fn a_full_room_lets_the_newcomer_in_and_the_oldest_out() {
        let t0 = Instant::now();
        let mut room = WaitingRoom::new(3, 16);
        for (i, name) in ["a", "b", "c"].into_iter().enumerate() {
            assert_eq!(room.admit(ip(i as u8), t0, name), None);
        }
        assert_eq!(room.admit(ip(9), t0, "d"), Some("a"));
        assert_eq!(room.iter().copied().collect::<Vec<_>>(), ["b", "c", "d"]);
    }

    #[test]
    fn one_address_holds_at_most_its_share() {
        let t0 = Instant::now();
        let mut room = WaitingRoom::new(100, 2);
        assert_eq!(room.admit(ip(1), t0, "slow-1"), None);
        assert_eq!(room.admit(ip(2), t0, "other"), None);
        assert_eq!(room.admit(ip(1), t0, "slow-2"), None);
        // A real client from the slow clients' address: the oldest of that address leaves,
        // not the other laptop's connection.
        assert_eq!(room.admit(ip(1), t0, "real"), Some("slow-1"));
        assert_eq!(room.iter().copied().collect::<Vec<_>>(), ["other", "slow-2", "real"]);
    }

    #[test]
    fn the_deadline_takes_the_oldest_first() {
        let t0 = Instant::now();
        let second = Duration::from_secs(1);
        let mut room = WaitingRoom::new(10, 10);
        room.admit(ip(1), t0, 1);
        room.admit(ip(1), t0 + second, 2);
        room.admit(ip(1), t0 + 3 * second, 3);
        assert_eq!(room.next_deadline(10 * second), Some(t0 + 10 * second));
        assert_eq!(room.take_expired(t0 + 10 * second, 10 * second), [1]);
        assert_eq!(room.take_expired(t0 + 12 * second, 10 * second), [2]);
        assert_eq!(room.len(), 1);
        assert_eq!(room.take_expired(t0 + 13 * second, 10 * second), [3]);
        assert!(room.is_empty() && room.next_deadline(second).is_none());
    }
}
