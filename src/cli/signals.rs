//! Signals like a good Unix citizen: SIGINT (Ctrl-C), SIGTERM (what Slurm,
//! Kubernetes and systemd send a pre-empted job) and SIGHUP (a closed
//! terminal) ask a long command to stop. It then removes its temporary
//! files, keeps a sweep's checkpoint, leaves existing targets untouched and
//! exits with 128 + the signal's number: 130, 143 and 129. A second signal
//! ends the process at once, with the same status. A signal that was ignored
//! when negsim started (under `nohup`, say) stays ignored.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

struct Flags {
    cancel: Arc<AtomicBool>,
    signal: Arc<AtomicUsize>,
}

fn flags() -> &'static Flags {
    static FLAGS: OnceLock<Flags> = OnceLock::new();
    FLAGS.get_or_init(|| Flags {
        cancel: Arc::new(AtomicBool::new(false)),
        signal: Arc::new(AtomicUsize::new(0)),
    })
}

/// The signals that stop a command.
#[cfg(unix)]
const STOPPING: [i32; 3] = [
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
];
#[cfg(not(unix))]
const STOPPING: [i32; 2] = [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM];

/// Installs the handlers (once) and returns the flag they set.
pub fn interrupt_flag() -> &'static AtomicBool {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    let f = flags();
    INSTALLED.call_once(|| {
        for sig in STOPPING {
            // A signal ignored when negsim started (`nohup` ignores SIGHUP, a
            // shell's background job SIGINT) stays ignored.
            if ignored(sig) {
                continue;
            }
            // Registered first, so it sees the flag as the previous signal
            // left it: the second signal exits at once.
            let _ = signal_hook::flag::register_conditional_shutdown(
                sig,
                128 + sig,
                Arc::clone(&f.cancel),
            );
            let _ = signal_hook::flag::register(sig, Arc::clone(&f.cancel));
            let _ = signal_hook::flag::register_usize(sig, Arc::clone(&f.signal), sig as usize);
        }
    });
    &f.cancel
}

/// The last stopping signal received, if any.
pub fn received() -> Option<i32> {
    match flags().signal.load(Ordering::SeqCst) {
        0 => None,
        s => i32::try_from(s).ok(),
    }
}

/// Whether `sig` is ignored (`SIG_IGN`) in this process.
#[cfg(unix)]
fn ignored(sig: i32) -> bool {
    // SAFETY: sigaction with a null new action only reads the current one
    // into `old`, a plain C struct for which all-zero bytes are valid.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(sig, std::ptr::null(), &mut old) == 0 && old.sa_sigaction == libc::SIG_IGN
    }
}

#[cfg(not(unix))]
fn ignored(_sig: i32) -> bool {
    false
}
