//! Private network namespaces, each kept by a thread of its own (namespaces belong to threads),
//! and the few libc calls the tests need.
//!
//! The workspace denies `unsafe`; the calls here are the exception. socket2 has no Fast Open or
//! keepalive-count options, no safe crate wraps unshare(2) for one thread, and a TUN device is
//! made by an ioctl, so the tests call libc directly, each call in a small function that says why
//! it is sound.

use std::os::fd::AsRawFd;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::process::Command;
use std::sync::mpsc;
use std::thread;

type Job = Box<dyn FnOnce() + Send>;

/// A network namespace of its own, with its loopback up. Sockets made in a job run here live in
/// it (and may then be used from any thread); programs started from a job run in it too.
pub struct Netns {
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Netns {
    pub fn new() -> Netns {
        let (jobs, queue) = mpsc::channel::<Job>();
        let (ready, entered) = mpsc::channel();
        let thread = thread::spawn(move || {
            let rc = enter_new_network_namespace();
            ready.send(if rc == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }).unwrap();
            if rc == 0 {
                for job in queue {
                    job();
                }
            }
        });
        entered.recv().unwrap().unwrap_or_else(|e| panic!("unshare(CLONE_NEWNET) failed: {e} (the tests need root)"));
        let ns = Netns { jobs: Some(jobs), thread: Some(thread) };
        ns.ip("link set lo up");
        ns
    }

    /// Runs `job` in the namespace and returns what it returns; a panic in it is the caller's.
    pub fn run<T: Send + 'static>(&self, job: impl FnOnce() -> T + Send + 'static) -> T {
        let (done, result) = mpsc::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(catch_unwind(AssertUnwindSafe(job)));
        });
        self.jobs.as_ref().unwrap().send(job).unwrap();
        result.recv().unwrap().unwrap_or_else(|panic| resume_unwind(panic))
    }

    /// `ip <args>` in the namespace.
    pub fn ip(&self, args: &str) {
        let args: Vec<String> = args.split_whitespace().map(str::to_owned).collect();
        let status = self.run(move || Command::new("ip").args(&args).status());
        assert!(status.expect("ip (iproute2) must be installed").success(), "ip failed");
    }

    /// Sets a sysctl of the namespace's own (`net.ipv4.tcp_syncookies` and the like).
    pub fn sysctl(&self, name: &str, value: &str) {
        let path = format!("/proc/sys/{}", name.replace('.', "/"));
        let value = value.to_owned();
        self.run(move || std::fs::write(&path, value).unwrap_or_else(|e| panic!("writing {path}: {e}")));
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// `unshare(CLONE_NEWNET)` for the calling thread: from now on its sockets, and the programs it
/// starts, live in a fresh network namespace with only a (down) loopback interface.
#[allow(unsafe_code)]
fn enter_new_network_namespace() -> i32 {
    // SAFETY: a syscall taking a flag word; no memory is shared with the kernel.
    unsafe { libc::unshare(libc::CLONE_NEWNET) }
}

/// An integer IPPROTO_TCP socket option.
#[allow(unsafe_code)]
pub fn set_int_option(socket: &impl AsRawFd, name: libc::c_int, value: libc::c_int) {
    // SAFETY: the pointer and length describe `value`, which outlives the call.
    let rc = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::IPPROTO_TCP,
            name,
            (&value as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    assert_eq!(rc, 0, "setsockopt({name}): {}", std::io::Error::last_os_error());
}

/// `struct ifreq` as TUNSETIFF reads it: the interface name, then the flags.
#[repr(C)]
struct TunRequest {
    name: [u8; libc::IFNAMSIZ],
    flags: libc::c_short,
    _rest: [u8; 22],
}

/// Makes the TUN device `name` (IP packets, no extra header) in the calling thread's namespace
/// and returns its file, non-blocking: reading it takes the packets the namespace sends out of
/// the device, writing it delivers packets into the namespace.
#[allow(unsafe_code)]
pub fn open_tun(name: &str) -> std::fs::File {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NONBLOCK)
        .open("/dev/net/tun")
        .expect("/dev/net/tun (the tests need root)");
    let mut request = TunRequest { name: [0; libc::IFNAMSIZ], flags: (libc::IFF_TUN | libc::IFF_NO_PI) as libc::c_short, _rest: [0; 22] };
    request.name[..name.len()].copy_from_slice(name.as_bytes());
    // SAFETY: TUNSETIFF reads and writes a `struct ifreq` (40 bytes, the size of `request`),
    // which lives until the call returns.
    let rc = unsafe { libc::ioctl(file.as_raw_fd(), libc::TUNSETIFF, &mut request as *mut TunRequest) };
    assert_eq!(rc, 0, "TUNSETIFF {name}: {}", std::io::Error::last_os_error());
    file
}
