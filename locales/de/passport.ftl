# Der Weg eines Laptops (src/passport/state.rs): Zustände aus dem Werkstattbuch
state-intake = aufgenommen
state-erased = Daten gelöscht
state-installed = installiert
state-checked = geprüft
state-ready = bereit zur Übergabe
state-handed-over = übergeben
state-to-repair = zur Reparatur
state-parts = Ersatzteile
msg-status-state = Zustand
msg-marked = { $host } (Nummer { $number }) ist jetzt: { $state }
