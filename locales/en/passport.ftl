# A laptop's way (src/passport/state.rs): states from the workshop ledger
state-intake = taken in
state-erased = data erased
state-installed = installed
state-checked = checked
state-ready = ready to hand over
state-handed-over = handed over
state-to-repair = to repair
state-parts = for parts
msg-status-state = state
msg-marked = { $host } (number { $number }) is now: { $state }
