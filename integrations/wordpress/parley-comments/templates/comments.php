<?php
/**
 * The comments area in place of the theme's comments.php: Parley's thread, rendered by Parley as
 * WordPress's own comment list, and the theme's comment form posted to Parley, inside the
 * <parley-comments> element that Parley's widget takes over when JavaScript runs.
 *
 * @package Parley_Comments
 */

defined( 'ABSPATH' ) || exit;

if ( post_password_required() ) {
	return;
}

$parley_comments_key    = Parley_Comments_Settings::article_key( get_the_ID() );
$parley_comments_thread = Parley_Comments_Client::thread( $parley_comments_key );
$parley_comments_count  = (int) $parley_comments_thread['count'];
$parley_comments_open   = comments_open() && $parley_comments_thread['open'];
$parley_comments_title  = wp_strip_all_tags( get_the_title() );
?>
<div id="comments" class="comments-area default-max-width<?php echo get_option( 'show_avatars' ) ? ' show-avatars' : ''; ?>">
	<parley-comments article="<?php echo esc_attr( $parley_comments_key ); ?>" data-url="<?php echo esc_url( get_permalink() ); ?>" data-title="<?php echo esc_attr( $parley_comments_title ); ?>">
		<?php if ( $parley_comments_count > 0 ) : ?>
			<h2 class="comments-title"><?php echo esc_html( Parley_Comments_Thread::heading( $parley_comments_count, $parley_comments_title ) ); ?></h2>
		<?php endif; ?>

		<?php
		if ( null === $parley_comments_thread['html'] ) {
			echo '<p class="parley-unavailable">' . esc_html__( 'Comments are temporarily unavailable.', 'parley-comments' ) . '</p>';
		} else {
			// Parley's own HTML, its comment texts sanitized there. The widget this page loads from the
			// same Parley runs with the page's full trust anyway, so filtering here would add nothing
			// but the loss of its schema.org and data attributes.
			echo Parley_Comments_Thread::links( $parley_comments_thread['html'], get_permalink() ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
		}
		?>

		<?php if ( $parley_comments_open ) : ?>
			<?php
			Parley_Comments_Form::render(
				array(
					'title_reply_before' => '<h2 id="reply-title" class="comment-reply-title">',
					'title_reply_after'  => '</h2>',
				)
			);
			?>
		<?php elseif ( null !== $parley_comments_thread['html'] ) : ?>
			<p class="no-comments"><?php esc_html_e( 'Comments are closed.', 'parley-comments' ); ?></p>
		<?php endif; ?>
	</parley-comments>
</div>
