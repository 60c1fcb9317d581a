//! Batteries (`sys/class/power_supply/*` of type `Battery`): capacity, wear, cycles.

use super::Facts;
use crate::report::{Battery, BatteryPack};

const PS: &str = "sys/class/power_supply";

pub fn probe(f: &mut Facts) -> Battery {
    let mut packs = Vec::new();
    for name in f.root.list(PS) {
        let dir = format!("{PS}/{name}");
        if f.value(&format!("{dir}/type")).as_deref() != Some("Battery") {
            continue;
        }
        // Batteries of mice and keyboards have scope "Device".
        if f.value(&format!("{dir}/scope")).as_deref() == Some("Device") {
            continue;
        }
        if f.value(&format!("{dir}/present")).as_deref() == Some("0") {
            continue;
        }
        packs.push(probe_pack(f, &name, &dir));
    }
    Battery {
        present: !packs.is_empty(),
        packs,
    }
}

fn probe_pack(f: &mut Facts, name: &str, dir: &str) -> BatteryPack {
    let mut micro = |file: &str| {
        f.parsed::<u64>(&format!("{dir}/{file}"))
            .map(|v| v as f64 / 1_000_000.0)
    };
    let energy_design = micro("energy_full_design");
    let energy_full = micro("energy_full");
    let charge_design = micro("charge_full_design");
    let charge_full = micro("charge_full");
    let voltage = micro("voltage_min_design");
    let raw = RawCapacity {
        energy_design,
        energy_full,
        charge_design,
        charge_full,
        voltage_min_design: voltage,
    };
    let cap = capacity(&raw);
    if cap.wear_percent.is_none() {
        f.warn(
            dir,
            "battery capacity unknown (no energy_full/charge_full with a design value)",
        );
    }
    BatteryPack {
        name: name.to_string(),
        technology: f.value(&format!("{dir}/technology")),
        manufacturer: f.value(&format!("{dir}/manufacturer")),
        model: f.value(&format!("{dir}/model_name")),
        serial: f.value(&format!("{dir}/serial_number")),
        design_wh: cap.design_wh,
        full_wh: cap.full_wh,
        design_mah: charge_design.map(|ah| round1(ah * 1000.0)),
        full_mah: charge_full.map(|ah| round1(ah * 1000.0)),
        wear_percent: cap.wear_percent,
        cycle_count: f.parsed(&format!("{dir}/cycle_count")),
    }
}

/// Capacity values in Wh, Ah and V as read from sysfs (µ-units divided by 10^6).
#[derive(Debug, Default, Clone, Copy)]
pub struct RawCapacity {
    pub energy_design: Option<f64>,
    pub energy_full: Option<f64>,
    pub charge_design: Option<f64>,
    pub charge_full: Option<f64>,
    pub voltage_min_design: Option<f64>,
}

#[derive(Debug, PartialEq)]
pub struct Capacity {
    pub design_wh: Option<f64>,
    pub full_wh: Option<f64>,
    pub wear_percent: Option<u8>,
}

/// Wh figures (charge x design voltage when only charge is reported) and the wear:
/// 100 - full / design x 100, rounded, clamped to 0..=100. A zero design value means the
/// firmware does not know it.
pub fn capacity(raw: &RawCapacity) -> Capacity {
    let (design_wh, full_wh) = match (raw.energy_design, raw.energy_full) {
        (Some(d), full) if d > 0.0 => (Some(d), full),
        _ => match raw.voltage_min_design {
            Some(v) if v > 0.0 => (
                raw.charge_design.filter(|c| *c > 0.0).map(|c| c * v),
                raw.charge_full.map(|c| c * v),
            ),
            _ => (None, None),
        },
    };
    let ratio = match (raw.energy_design, raw.energy_full, raw.charge_design, raw.charge_full) {
        (Some(d), Some(full), _, _) if d > 0.0 => Some(full / d),
        (_, _, Some(d), Some(full)) if d > 0.0 => Some(full / d),
        _ => None,
    };
    Capacity {
        design_wh: design_wh.map(round1),
        full_wh: full_wh.map(round1),
        wear_percent: ratio.map(|r| (100.0 - r * 100.0).round().clamp(0.0, 100.0) as u8),
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wear_from_energy_values() {
        // A ThinkPad battery: energy_full_design 56160000, energy_full 33700000 (µWh).
        let cap = capacity(&RawCapacity {
            energy_design: Some(56.16),
            energy_full: Some(33.7),
            ..Default::default()
        });
        assert_eq!(
            cap,
            Capacity {
                design_wh: Some(56.2),
                full_wh: Some(33.7),
                wear_percent: Some(40)
            }
        );
    }

    #[test]
    fn wear_from_charge_values() {
        let cap = capacity(&RawCapacity {
            charge_design: Some(4.4),
            charge_full: Some(3.3),
            voltage_min_design: Some(10.8),
            ..Default::default()
        });
        assert_eq!(cap.wear_percent, Some(25));
        assert_eq!(cap.design_wh, Some(47.5));
        let no_voltage = capacity(&RawCapacity {
            charge_design: Some(4.4),
            charge_full: Some(3.3),
            ..Default::default()
        });
        assert_eq!((no_voltage.design_wh, no_voltage.wear_percent), (None, Some(25)));
    }

    #[test]
    fn odd_values_are_clamped_or_unknown() {
        let better_than_new = capacity(&RawCapacity {
            energy_design: Some(50.0),
            energy_full: Some(52.0),
            ..Default::default()
        });
        assert_eq!(better_than_new.wear_percent, Some(0));
        let zero_design = capacity(&RawCapacity {
            energy_design: Some(0.0),
            energy_full: Some(20.0),
            ..Default::default()
        });
        assert_eq!(zero_design.wear_percent, None);
    }
}
