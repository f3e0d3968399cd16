/** The GitHub App's configuration and the pure plans it drives. */
export {
  APP_CONFIG_PATH,
  DEFAULT_APP_CONFIG,
  DEFAULT_LABELS,
  LABELLED_DECISIONS,
  readAppConfig,
  type AppConfig,
  type AppConfigResult,
  type LabelledDecision,
} from './app-config.js';
export { planLabels, type LabelPlan } from './plan-labels.js';
