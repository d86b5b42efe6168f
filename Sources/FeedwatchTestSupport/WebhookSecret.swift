import Foundation

/// A well-formed Standard Webhooks secret (`whsec_` and base64) for the configs tests write.
public enum WebhookSecret {
    public static let sample = "whsec_" + Data(repeating: 7, count: 24).base64EncodedString()
}
