//! Facts only a running system has (hostname, kernel, OS). Never used by the selector;
//! only collected when the root is `/`.

use crate::report::Live;

pub fn probe() -> Live {
    let uname = nix::sys::utsname::uname().ok();
    Live {
        hostname: nix::unistd::gethostname().ok().and_then(|h| h.into_string().ok()),
        kernel: uname.and_then(|u| u.release().to_str().map(str::to_string)),
        os: sysinfo::System::long_os_version().ok(),
    }
}
