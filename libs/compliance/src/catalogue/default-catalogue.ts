import type { ControlCatalogue } from './catalogue';
import { CIS_CONTROLS, CLOUD_CONFIG_CONTROLS, SEED_CONTROLS } from './controls';
import {
  CIS_FRAMEWORK,
  ISO_27001_FRAMEWORK,
  MLPS_LEVEL_3_FRAMEWORK,
  PCI_DSS_FRAMEWORK,
  SEED_BASELINE_FRAMEWORK,
} from './frameworks';

/** The catalogue Seed ships: CIS 5.8/5.9, five Cloud Config rules, Seed's own controls, five frameworks. */
export const DEFAULT_CATALOGUE: ControlCatalogue = {
  version: '1.0.0',
  controls: [...CIS_CONTROLS, ...CLOUD_CONFIG_CONTROLS, ...SEED_CONTROLS],
  frameworks: [
    CIS_FRAMEWORK,
    MLPS_LEVEL_3_FRAMEWORK,
    PCI_DSS_FRAMEWORK,
    ISO_27001_FRAMEWORK,
    SEED_BASELINE_FRAMEWORK,
  ],
};
