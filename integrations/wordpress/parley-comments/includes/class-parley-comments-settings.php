<?php
/**
 * Settings → Parley Comments: Parley's address, the article-key prefix, how long a copy is kept and
 * the identity secret that signs logged-in users' comments.
 *
 * @package Parley_Comments
 */

defined( 'ABSPATH' ) || exit;

/**
 * The plugin's one option, its settings page (the Settings API: options.php checks the nonce and
 * the capability) and its sanitizing.
 */
class Parley_Comments_Settings {

	const OPTION = 'parley_comments_settings';
	const PAGE   = 'parley-comments';

	/**
	 * The defaults: no Parley yet, no prefix (so that comments imported from this site's WXR export,
	 * keyed by post ID, line up), copies kept for a minute, no identity secret (logged-in users then
	 * comment as guests with their WordPress name and email).
	 *
	 * @var array
	 */
	const DEFAULTS = array(
		'url'             => '',
		'key_prefix'      => '',
		'cache_seconds'   => 60,
		'identity_secret' => '',
	);

	/**
	 * An identity secret: Parley's PARLEY_SSO_SECRET, at least 32 bytes of printable ASCII without
	 * spaces (such as `openssl rand -base64 48` prints), so that it reads the same in an environment
	 * variable and in this option.
	 */
	const SECRET_PATTERN = '/^[\x21-\x7E]{32,512}$/';

	/**
	 * Hooks the settings page.
	 */
	public static function init() {
		add_action( 'admin_init', array( __CLASS__, 'register' ) );
		add_action( 'admin_menu', array( __CLASS__, 'add_page' ) );
	}

	/**
	 * One setting, merged over the defaults.
	 *
	 * @param string $name url, key_prefix, cache_seconds or identity_secret.
	 * @return string|int
	 */
	public static function get( $name ) {
		$stored = get_option( self::OPTION, array() );
		$all    = array_merge( self::DEFAULTS, is_array( $stored ) ? $stored : array() );
		return $all[ $name ];
	}

	/**
	 * The article key Parley knows a post by: the prefix and the post ID.
	 *
	 * @param int $post_id The post ID.
	 * @return string
	 */
	public static function article_key( $post_id ) {
		return self::get( 'key_prefix' ) . absint( $post_id );
	}

	/**
	 * Registers the option and its fields with the Settings API.
	 */
	public static function register() {
		register_setting(
			self::PAGE,
			self::OPTION,
			array(
				'type'              => 'array',
				'default'           => self::DEFAULTS,
				'sanitize_callback' => array( __CLASS__, 'sanitize' ),
			)
		);
		add_settings_section( 'parley_comments_main', '', '__return_false', self::PAGE );
		add_settings_field(
			'parley_comments_url',
			__( 'Parley URL', 'parley-comments' ),
			array( __CLASS__, 'field_url' ),
			self::PAGE,
			'parley_comments_main',
			array( 'label_for' => 'parley_comments_url' )
		);
		add_settings_field(
			'parley_comments_key_prefix',
			__( 'Article key prefix', 'parley-comments' ),
			array( __CLASS__, 'field_key_prefix' ),
			self::PAGE,
			'parley_comments_main',
			array( 'label_for' => 'parley_comments_key_prefix' )
		);
		add_settings_field(
			'parley_comments_cache_seconds',
			__( 'Cache seconds', 'parley-comments' ),
			array( __CLASS__, 'field_cache_seconds' ),
			self::PAGE,
			'parley_comments_main',
			array( 'label_for' => 'parley_comments_cache_seconds' )
		);
		add_settings_field(
			'parley_comments_identity_secret',
			__( 'Identity secret', 'parley-comments' ),
			array( __CLASS__, 'field_identity_secret' ),
			self::PAGE,
			'parley_comments_main',
			array( 'label_for' => 'parley_comments_identity_secret' )
		);
	}

	/**
	 * Settings → Parley Comments, for those who may manage options.
	 */
	public static function add_page() {
		add_options_page(
			__( 'Parley Comments', 'parley-comments' ),
			__( 'Parley Comments', 'parley-comments' ),
			'manage_options',
			self::PAGE,
			array( __CLASS__, 'render_page' )
		);
	}

	/**
	 * The settings page: options.php saves it (settings_fields() prints its nonce).
	 */
	public static function render_page() {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		?>
		<div class="wrap">
			<h1><?php echo esc_html( get_admin_page_title() ); ?></h1>
			<form action="<?php echo esc_url( admin_url( 'options.php' ) ); ?>" method="post">
				<?php
				settings_fields( self::PAGE );
				do_settings_sections( self::PAGE );
				submit_button();
				?>
			</form>
		</div>
		<?php
	}

	/**
	 * The Parley URL field.
	 */
	public static function field_url() {
		printf(
			'<input type="url" class="regular-text code" id="parley_comments_url" name="%1$s[url]" value="%2$s" placeholder="https://comments.example.com" />',
			esc_attr( self::OPTION ),
			esc_attr( self::get( 'url' ) )
		);
		echo '<p class="description">' . esc_html__( 'Where Parley answers: https, or http on this computer (localhost). Add this site\'s address to Parley\'s allowed origins.', 'parley-comments' ) . '</p>';
	}

	/**
	 * The article-key prefix field.
	 */
	public static function field_key_prefix() {
		printf(
			'<input type="text" class="regular-text code" id="parley_comments_key_prefix" name="%1$s[key_prefix]" value="%2$s" maxlength="100" />',
			esc_attr( self::OPTION ),
			esc_attr( self::get( 'key_prefix' ) )
		);
		echo '<p class="description">' . esc_html__( 'A post\'s article key is this prefix and its ID. Leave it empty unless Parley serves several sites (then use the prefix the import was given with --key-prefix).', 'parley-comments' ) . '</p>';
	}

	/**
	 * The cache-seconds field.
	 */
	public static function field_cache_seconds() {
		printf(
			'<input type="number" class="small-text" id="parley_comments_cache_seconds" name="%1$s[cache_seconds]" value="%2$d" min="0" max="86400" step="1" />',
			esc_attr( self::OPTION ),
			absint( self::get( 'cache_seconds' ) )
		);
		echo '<p class="description">' . esc_html__( 'How long a page shows its copy of the comments before asking Parley whether they changed.', 'parley-comments' ) . '</p>';
	}

	/**
	 * The identity-secret field. The secret is never printed back: the page says whether one is set,
	 * an empty field keeps it, a new value replaces it, and a checkbox clears it.
	 */
	public static function field_identity_secret() {
		$set = '' !== self::get( 'identity_secret' );
		printf(
			'<input type="password" class="regular-text code" id="parley_comments_identity_secret" name="%1$s[identity_secret]" value="" autocomplete="new-password" spellcheck="false" placeholder="%2$s" />',
			esc_attr( self::OPTION ),
			esc_attr( $set ? __( 'Set: leave empty to keep it', 'parley-comments' ) : __( 'Not set', 'parley-comments' ) )
		);
		if ( $set ) {
			printf(
				'<br /><label><input type="checkbox" name="%1$s[identity_secret_clear]" value="1" /> %2$s</label>',
				esc_attr( self::OPTION ),
				esc_html__( 'Clear the identity secret (logged-in users then comment as guests)', 'parley-comments' )
			);
		}
		echo '<p class="description">' . esc_html__( 'The same value as Parley\'s PARLEY_SSO_SECRET: at least 32 characters, letters, digits and punctuation, no spaces (openssl rand -base64 48). With it, a logged-in user\'s comment is signed as theirs: Parley shows it with their display name, marked as a user of this site.', 'parley-comments' ) . '</p>';
	}

	/**
	 * Sanitizes what the settings page posts; a value that cannot be used keeps the one before.
	 *
	 * @param mixed $input The posted option.
	 * @return array
	 */
	public static function sanitize( $input ) {
		$old    = array_merge( self::DEFAULTS, (array) get_option( self::OPTION, array() ) );
		$input  = is_array( $input ) ? $input : array();
		$output = $old;

		$url = isset( $input['url'] ) ? trim( (string) $input['url'] ) : '';
		if ( '' === $url ) {
			$output['url'] = '';
		} elseif ( self::is_parley_url( $url ) ) {
			$output['url'] = untrailingslashit( esc_url_raw( $url, array( 'http', 'https' ) ) );
		} else {
			add_settings_error( self::OPTION, 'parley_comments_url', __( 'The Parley URL must be an https address (or http on localhost), without a query.', 'parley-comments' ) );
		}

		$prefix = isset( $input['key_prefix'] ) ? trim( (string) $input['key_prefix'] ) : '';
		if ( 1 === preg_match( '/^[A-Za-z0-9._~:@-]{0,100}$/', $prefix ) ) {
			$output['key_prefix'] = $prefix;
		} else {
			add_settings_error( self::OPTION, 'parley_comments_key_prefix', __( 'The article key prefix may hold letters, digits and . _ ~ : @ - only.', 'parley-comments' ) );
		}

		if ( isset( $input['cache_seconds'] ) && is_numeric( $input['cache_seconds'] ) ) {
			$output['cache_seconds'] = min( DAY_IN_SECONDS, absint( $input['cache_seconds'] ) );
		}

		// Never printed back: an empty field keeps the secret, the checkbox clears it.
		$secret = isset( $input['identity_secret'] ) && is_string( $input['identity_secret'] ) ? trim( $input['identity_secret'] ) : '';
		if ( ! empty( $input['identity_secret_clear'] ) ) {
			$output['identity_secret'] = '';
		} elseif ( '' === $secret ) {
			$output['identity_secret'] = is_string( $old['identity_secret'] ) ? $old['identity_secret'] : '';
		} elseif ( 1 === preg_match( self::SECRET_PATTERN, $secret ) ) {
			$output['identity_secret'] = $secret;
		} else {
			add_settings_error( self::OPTION, 'parley_comments_identity_secret', __( 'The identity secret must be at least 32 characters (letters, digits and punctuation, no spaces), the same as Parley\'s PARLEY_SSO_SECRET.', 'parley-comments' ) );
		}
		return $output;
	}

	/**
	 * An https URL, or http to this computer, with no query, fragment or credentials.
	 *
	 * @param string $url The URL.
	 * @return bool
	 */
	public static function is_parley_url( $url ) {
		$parts = wp_parse_url( $url );
		if ( ! is_array( $parts ) || empty( $parts['scheme'] ) || empty( $parts['host'] ) ) {
			return false;
		}
		if ( isset( $parts['query'] ) || isset( $parts['fragment'] ) || isset( $parts['user'] ) || isset( $parts['pass'] ) ) {
			return false;
		}
		$scheme = strtolower( $parts['scheme'] );
		$host   = strtolower( trim( $parts['host'], '[]' ) );
		if ( 'https' === $scheme ) {
			return true;
		}
		return 'http' === $scheme && in_array( $host, array( 'localhost', '127.0.0.1', '::1' ), true );
	}
}
