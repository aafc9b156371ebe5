// Global test set-up: nothing yet.
export default function setup(): void {}
