//! Two network namespaces joined by a wire the test owns: each has a TUN device, and a relay
//! thread carries the IP packets from one to the other. There is no netem or tc action on this
//! kernel, so the relay is what delays frames (by the model's one-way time) and drops or holds
//! chosen ones; the kernels at both ends do everything else.

use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use tcplab_core::tcp::Side;

use super::netns::{Netns, open_tun};
use super::record::{Recording, record_with};

pub const CLIENT_IP: Ipv4Addr = Ipv4Addr::new(10, 77, 0, 1);
pub const SERVER_IP: Ipv4Addr = Ipv4Addr::new(10, 77, 0, 2);
/// The wire's one-way delay: the model's.
pub const ONE_WAY: Duration = Duration::from_millis(tcplab_core::tcp::ONE_WAY_MS);

/// A TCP segment crossing the wire, as a rule sees it.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    pub from: Side,
    pub sport: u16,
    pub dport: u16,
    pub flags: u8,
    pub len: u32,
}

impl Frame {
    pub fn syn(&self) -> bool {
        self.flags & 0x02 != 0
    }
    pub fn fin(&self) -> bool {
        self.flags & 0x01 != 0
    }
    pub fn has_ack(&self) -> bool {
        self.flags & 0x10 != 0
    }
    /// The port of the end that sent it to the server, or that the server sends to.
    pub fn client_port(&self) -> u16 {
        if self.from == Side::Client { self.sport } else { self.dport }
    }

    fn parse(from: Side, ip: &[u8]) -> Option<Frame> {
        if ip.len() < 40 || ip[0] >> 4 != 4 || ip[9] != 6 {
            return None;
        }
        let ihl = usize::from(ip[0] & 0x0f) * 4;
        let total = usize::from(u16::from_be_bytes([ip[2], ip[3]]));
        let tcp = ip.get(ihl..total.min(ip.len()))?;
        let offset = usize::from(*tcp.get(12)? >> 4) * 4;
        Some(Frame {
            from,
            sport: u16::from_be_bytes([tcp[0], tcp[1]]),
            dport: u16::from_be_bytes([tcp[2], tcp[3]]),
            flags: tcp[13],
            len: tcp.len().saturating_sub(offset) as u32,
        })
    }
}

/// What the relay does with a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Delivered after the one-way delay.
    Pass,
    /// Lost: the receiver never sees it.
    Drop,
    /// Kept until a later frame's `PassAfterHeld`.
    Hold,
    /// Delivers every held frame now (after the one-way delay), then this one 5 ms later.
    PassAfterHeld,
}

type Rule = Box<dyn FnMut(&Frame) -> Verdict + Send>;

/// The two namespaces and the relay between them.
pub struct Wire {
    pub client: Netns,
    pub server: Netns,
    rule: Arc<Mutex<Rule>>,
    stop: Arc<AtomicBool>,
    relay: Option<thread::JoinHandle<()>>,
}

impl Wire {
    /// The client's namespace has 10.77.0.1, the server's 10.77.0.2, each on its `tun0`.
    pub fn new() -> Wire {
        let client = Netns::new();
        let server = Netns::new();
        let client_tun = client.run(|| open_tun("tun0"));
        let server_tun = server.run(|| open_tun("tun0"));
        for (ns, me, peer) in [(&client, CLIENT_IP, SERVER_IP), (&server, SERVER_IP, CLIENT_IP)] {
            // No IPv6 on the wire: its router solicitations are noise in the captures.
            ns.sysctl("net.ipv6.conf.tun0.disable_ipv6", "1");
            ns.ip(&format!("addr add {me} peer {peer} dev tun0"));
            ns.ip("link set tun0 up");
        }
        let rule: Arc<Mutex<Rule>> = Arc::new(Mutex::new(Box::new(|_: &Frame| Verdict::Pass)));
        let stop = Arc::new(AtomicBool::new(false));
        let relay = {
            let (rule, stop) = (rule.clone(), stop.clone());
            thread::spawn(move || relay(client_tun, server_tun, &rule, &stop))
        };
        Wire { client, server, rule, stop, relay: Some(relay) }
    }

    /// From now on the relay asks `rule` about every TCP frame (anything else passes).
    pub fn rule(&self, rule: impl FnMut(&Frame) -> Verdict + Send + 'static) {
        *self.rule.lock().unwrap() = Box::new(rule);
    }

    /// A listener on the server's `port`, made in the server's namespace.
    pub fn listen(&self, port: u16) -> TcpListener {
        self.server.run(move || TcpListener::bind(Wire::server_addr(port)).unwrap())
    }

    /// A connection from the client to the server's `port`: (client end, server end).
    pub fn connect(&self, port: u16) -> (TcpStream, TcpStream) {
        self.connect_to(&self.listen(port))
    }

    /// A connection from the client to `listener`: (client end, server end).
    pub fn connect_to(&self, listener: &TcpListener) -> (TcpStream, TcpStream) {
        let addr = listener.local_addr().unwrap();
        let client = self.client.run(move || TcpStream::connect(addr).unwrap());
        let (server, _) = listener.accept().unwrap();
        (client, server)
    }

    /// tcpdump on the client's end of the wire, for everything to or from the server's `port`.
    pub fn record(&self, port: u16) -> Recording {
        self.record_only(&format!("tcp port {port}"))
    }

    /// tcpdump on the client's end of the wire, for what `filter` (pcap-filter syntax) picks.
    pub fn record_only(&self, filter: &str) -> Recording {
        let filter = filter.to_owned();
        self.client.run(move || record_with(&["-i", "tun0"], &filter))
    }

    /// A TCP socket made in `side`'s namespace and bound to its address and `port`.
    pub fn socket(&self, side: Side, port: u16) -> socket2::Socket {
        let (ns, addr) = match side {
            Side::Client => (&self.client, Wire::client_addr(port)),
            Side::Server => (&self.server, Wire::server_addr(port)),
        };
        ns.run(move || {
            let s = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
            s.bind(&addr.into()).unwrap();
            s
        })
    }

    pub fn server_addr(port: u16) -> SocketAddr {
        SocketAddr::from((SERVER_IP, port))
    }

    pub fn client_addr(port: u16) -> SocketAddr {
        SocketAddr::from((CLIENT_IP, port))
    }
}

impl Drop for Wire {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(relay) = self.relay.take() {
            let _ = relay.join();
        }
    }
}

/// Carries packets both ways until `stop`. Polls every half millisecond rather than blocking,
/// which keeps it one thread with no unsafe poll(2); the delay's jitter stays under a millisecond.
fn relay(mut client: File, mut server: File, rule: &Mutex<Rule>, stop: &AtomicBool) {
    let mut queue: Vec<(Instant, Side, Vec<u8>)> = Vec::new();
    let mut held: Vec<(Side, Vec<u8>)> = Vec::new();
    let mut buf = vec![0u8; 65536];
    while !stop.load(Ordering::Relaxed) {
        for from in [Side::Client, Side::Server] {
            let tun = if from == Side::Client { &mut client } else { &mut server };
            loop {
                let n = match tun.read(&mut buf) {
                    Ok(n) => n,
                    Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                    Err(e) => panic!("reading the TUN device: {e}"),
                };
                let packet = buf[..n].to_vec();
                let to = from.other();
                let now = Instant::now();
                let verdict = Frame::parse(from, &packet).map_or(Verdict::Pass, |f| (rule.lock().unwrap())(&f));
                match verdict {
                    Verdict::Pass => queue.push((now + ONE_WAY, to, packet)),
                    Verdict::Drop => {}
                    Verdict::Hold => held.push((to, packet)),
                    Verdict::PassAfterHeld => {
                        queue.extend(held.drain(..).map(|(to, p)| (now + ONE_WAY, to, p)));
                        queue.push((now + ONE_WAY + Duration::from_millis(5), to, packet));
                    }
                }
            }
        }
        let now = Instant::now();
        queue.sort_by_key(|(at, ..)| *at);
        while queue.first().is_some_and(|(at, ..)| *at <= now) {
            let (_, to, packet) = queue.remove(0);
            let tun = if to == Side::Client { &mut client } else { &mut server };
            // A full device queue loses the packet, as a real link would.
            let _ = tun.write(&packet);
        }
        thread::sleep(Duration::from_micros(500));
    }
}
