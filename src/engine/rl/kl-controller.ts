/**
 * The KL coefficient β: fixed, or adapted toward a target KL (Ziegler et al. 2019, as in
 * lm-human-preferences and TRL): β grows when the policy drifts further from the reference than
 * the target, and shrinks when it stays closer.
 */
export interface KLControlConfig {
  /** Initial (or fixed) β. */
  beta: number;
  /** Target KL in nats per response; null keeps β fixed. */
  target: number | null;
  /** How many samples it takes β to move by a factor of ~e at the largest error. */
  horizon: number;
}

export class KLController {
  beta: number;
  private readonly config: KLControlConfig;

  constructor(config: KLControlConfig) {
    this.config = config;
    this.beta = config.beta;
  }

  /** After an iteration that measured `kl` (nats per response) over `samples` responses. */
  update(kl: number, samples: number): void {
    if (this.config.target === null || !Number.isFinite(kl)) return;
    const proportionalError = Math.min(0.2, Math.max(-0.2, kl / this.config.target - 1));
    const mult = 1 + (proportionalError * samples) / this.config.horizon;
    this.beta *= mult;
  }
}
