<?php
/**
 * The logged-in user's identity token: who a comment is from, signed for Parley.
 *
 * @package Parley_Comments
 */

defined( 'ABSPATH' ) || exit;

/**
 * Signs a short-lived JWT (HS256, with the identity secret Parley knows as PARLEY_SSO_SECRET) for
 * the logged-in user, which the theme's comment form carries as `parley_identity`: Parley then
 * takes the comment as that account's, with its display name and email, and marks it as a user's
 * of this site (WordPress's `byuser`). Without a secret, or for a visitor, there is no token and the
 * form is a guest's.
 */
class Parley_Comments_Identity {

	/**
	 * How long a token lives: two hours, for a reader who opens the page and writes at length.
	 * Parley refuses a token that lives longer than a day.
	 */
	const LIFETIME = 2 * HOUR_IN_SECONDS;

	/**
	 * The token for a user, or '' when no identity secret is set or the user is not signed in.
	 *
	 * Claims (Parley's default identityClaims):
	 * - sub: a stable account id, "wp:" and the user ID behind the plugin's key prefix (so that the
	 *   users of two sites sharing one Parley are not taken for each other); never the login name,
	 *   which an administrator may see but readers need not.
	 * - name, email: display_name and user_email, as WordPress fills a logged-in user's comment.
	 * - subscriber: true for a user who can 'read', which every role of WordPress's has (Subscriber
	 *   and up): Parley's commentPolicy 'subscribers' then means "users of this site". A membership
	 *   plugin narrows it with the parley_comments_identity_claims filter.
	 * - no picture: WordPress's is a Gravatar URL, which carries a hash of the email address.
	 *
	 * @param WP_User $user The user.
	 * @return string
	 */
	public static function token( $user ) {
		$secret = (string) Parley_Comments_Settings::get( 'identity_secret' );
		if ( '' === $secret || ! ( $user instanceof WP_User ) || ! $user->exists() ) {
			return '';
		}
		$now    = time();
		$claims = array(
			'sub'        => Parley_Comments_Settings::get( 'key_prefix' ) . 'wp:' . $user->ID,
			'name'       => '' !== $user->display_name ? $user->display_name : $user->user_login,
			'email'      => $user->user_email,
			'subscriber' => user_can( $user, 'read' ),
			'iat'        => $now,
			'exp'        => $now + self::LIFETIME,
		);
		/**
		 * Filters the claims of a logged-in user's identity token (sub, name, email, subscriber, iat,
		 * exp). A picture, if added, must be an https URL.
		 *
		 * @param array   $claims The claims.
		 * @param WP_User $user   The user.
		 */
		$claims = apply_filters( 'parley_comments_identity_claims', $claims, $user );
		return self::jwt( is_array( $claims ) ? $claims : array(), $secret );
	}

	/**
	 * A compact JWS (RFC 7515) of the claims, HS256: base64url(header) "." base64url(claims) "."
	 * base64url(HMAC-SHA256 of the two with the secret). The header is fixed, so that no other
	 * algorithm is ever named.
	 *
	 * @param array  $claims The claims.
	 * @param string $secret The shared secret.
	 * @return string The token, or '' when the claims cannot be written as JSON.
	 */
	public static function jwt( array $claims, $secret ) {
		$header = array(
			'alg' => 'HS256',
			'typ' => 'JWT',
		);
		// Slashes and non-ASCII as they are; wp_json_encode() mends text that is not UTF-8.
		$flags = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE;
		$json  = wp_json_encode( $claims, $flags );
		if ( false === $json ) {
			return '';
		}
		$signing = self::base64url( wp_json_encode( $header, $flags ) ) . '.' . self::base64url( $json );
		return $signing . '.' . self::base64url( hash_hmac( 'sha256', $signing, $secret, true ) );
	}

	/**
	 * Base64url without padding (RFC 7515 §2): + and / become - and _, the trailing = go.
	 *
	 * @param string $bytes The bytes.
	 * @return string
	 */
	private static function base64url( $bytes ) {
		// phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- JWS encoding, not obfuscation.
		return rtrim( strtr( base64_encode( (string) $bytes ), '+/', '-_' ), '=' );
	}

	/**
	 * A page that carries a token is the user's own: never kept by a shared cache. WordPress already
	 * sends no-cache headers to logged-in users; no-store and private say it to every cache.
	 *
	 * @param array $headers The headers WordPress sends.
	 * @return array
	 */
	public static function headers( $headers ) {
		if ( is_user_logged_in() && '' !== Parley_Comments_Settings::get( 'identity_secret' ) ) {
			$headers['Cache-Control'] = 'no-store, no-cache, must-revalidate, max-age=0, private';
		}
		return $headers;
	}
}
